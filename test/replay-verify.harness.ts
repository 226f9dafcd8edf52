import { Command } from 'commander';
import type { SqlClient } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import type { EventStore } from '@ahe/event-store';
import { loadConfig } from '@ahe/platform';
import { readModelProjectionsFor } from '@ahe/read-models';
import { registerReplayCommand } from '../apps/cli/src/replay.command';
import type { RunningApi } from './api/api-harness';
import { eventually } from './support/eventually';
import { caughtUp } from './api/queries/queries-harness';

/** What `ahe replay --verify` tests share: the command run in-process, the seed, the tampering and what the report must say. */
export const DEFINITIONS = readModelProjectionsFor(loadConfig({}));
const ORPHAN = 'orphan-1';

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `ahe replay …` in this process, on the store `env` names, as main.ts would run it. */
export async function ahe(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  const program = new Command('ahe').exitOverride();
  registerReplayCommand(program, { env: { LOG_LEVEL: 'silent', ...env } });
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const status = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { status, stdout, stderr };
}

/**
 * The demo portfolio, one account closed (a closed account's score is never re-scored, so a
 * change to it stays until a replay finds it), and an event no projection can apply.
 */
export async function seed(api: RunningApi): Promise<string> {
  await seedPortfolio(api.store, { accounts: 20, years: 1, seed: 7 });
  // readAll holds back events committed while an older transaction anywhere in the database is
  // open (ADR 0002's watermark), such as another suite's on the same server.
  const first = (await eventually('the seed visible to readAll', async () => (await api.store.readAll({ limit: 1 })).events[0], (event) => event !== undefined, 30_000))!;
  await api.http().post(`/v1/accounts/${first.streamId.replace(/^account-/, '')}/closure`).send({ reason: 'Moved to a competitor' }).expect(201);
  const parkedEventId = await appendOrphanContact(api.store);
  await caughtUp(api);
  return parkedEventId;
}

/** An event no projection can apply (no AccountOpened before it): live parks it, so must the replay. */
async function appendOrphanContact(store: EventStore): Promise<string> {
  const result = await store.append(`account-${ORPHAN}`, [{
    type: 'ContactLogged', schemaVersion: 1, occurredAt: '2025-06-01T10:00:00Z',
    data: { channel: 'call', direction: 'outbound', summary: 'Called before the account existed' },
  }]);
  return result.eventIds[0]!;
}

/**
 * Three edits behind the engine's back: a score changed (on a closed account, whose score no
 * refresh ever recomputes), a trend bucket deleted, a row made up; and one parked event forgotten.
 */
export async function tamper(sql: SqlClient): Promise<{ changed: string; deleted: string; parkedEventId: string }> {
  const { rows: closed } = await sql.query<{ account_id: string }>(
    `SELECT account_id FROM account_health WHERE status = 'closed' ORDER BY account_id LIMIT 1`,
  );
  expect(closed).toHaveLength(1);
  const changed = closed[0]!.account_id;
  await sql.query(`UPDATE account_health SET churn_risk = churn_risk + 7 WHERE account_id = $1`, [changed]);
  const { rows: buckets } = await sql.query<{ group_key: string; period_start: string }>(
    `DELETE FROM satisfaction_trends WHERE (group_by, group_key, "interval", period_start) =
       (SELECT group_by, group_key, "interval", period_start FROM satisfaction_trends WHERE group_by = 'account' AND "interval" = 'month'
        ORDER BY group_key, period_start LIMIT 1)
     RETURNING group_key, to_char(period_start, 'YYYY-MM-DD') AS period_start`,
  );
  await sql.query(
    `INSERT INTO account_health SELECT (jsonb_populate_record(NULL::account_health, to_jsonb(h) || '{"account_id": "bogus-1"}')).*
     FROM account_health h WHERE account_id = $1`,
    [changed],
  );
  const { rows: parked } = await sql.query<{ event_id: string }>(
    `DELETE FROM projection_parked_events WHERE name = 'account_health' AND stream_id = $1 RETURNING event_id`,
    [`account-${ORPHAN}`],
  );
  return { changed, deleted: `group_by=account interval=month group_key=${buckets[0]!.group_key} period_start=${buckets[0]!.period_start}`, parkedEventId: parked[0]!.event_id };
}

export function expectTamperingNamed(run: CliRun, tampered: Awaited<ReturnType<typeof tamper>>): void {
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(new RegExp(`rows that differ \\(1\\):\\n\\s+account_id=${tampered.changed}: churn_risk live (\\d+), replay \\d+\\n`));
  const [, live, replay] = new RegExp(`account_id=${tampered.changed}: churn_risk live (\\d+), replay (\\d+)`).exec(run.stdout)!;
  expect(Number(live)).toBe(Number(replay) + 7);
  expect(run.stdout).toMatch(/rows only in live \(1\):\n\s+account_id=bogus-1\n/);
  expect(run.stdout).toContain(`rows only in the replay (1):\n      ${tampered.deleted}\n`);
  expect(run.stdout).toMatch(new RegExp(`parked by the replay only \\(live applied them\\) \\(1\\):\\n.*${tampered.parkedEventId}`));
  expect(run.stdout).toMatch(/health_history: identical/);
  expect(run.stdout).toMatch(/^DIFFERENT: account_health, satisfaction_trends do not match a replay of the log\.$/m);
}

export function expectIdentical(run: CliRun, parkedEventId: string): void {
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  for (const table of ['account_health', 'health_history', 'portfolio', 'satisfaction_trends', 'ltv_customers', 'escalations']) {
    expect(run.stdout).toMatch(new RegExp(`^  ${table}: identical \\(\\d+ rows\\)$`, 'm'));
  }
  expect(run.stdout).toMatch(new RegExp(`parked by both \\(the same events; not a difference\\) \\(1\\):\\n.*account-${ORPHAN}@0 ContactLogged ${parkedEventId}: account ${ORPHAN}`));
  expect(run.stdout).toContain('ltv_models (whole table): the fitted models');
  expect(run.stdout).toMatch(/^IDENTICAL: every projection matches a replay of the log/m);
}

