import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseConfig, type SqlClient } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import { eventStoreOn } from '@ahe/event-store';
import { TEST_DATABASE_URL } from './api/api-harness';
import { buildOnce, ROOT } from './support/child-processes';

jest.setTimeout(240_000);

/**
 * `ahe verify` as built, registered on a program of its own the way apps/cli/src/main.ts
 * registers its commands (and with main.ts's failure report).
 */
const ENTRY = `
require('reflect-metadata');
const { Command } = require('commander');
const { registerVerifyCommand } = require('./dist/apps/cli/src/verify.command.js');
const { reportFailure } = require('./dist/apps/cli/src/cli-output.js');
const program = new Command('ahe').showHelpAfterError();
registerVerifyCommand(program);
program.parseAsync(process.argv.slice(1), { from: 'user' }).catch((error) => { process.exitCode = reportFailure(error); });
`;

interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function ahe(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, ['-e', ENTRY, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

async function withDatabase<T>(config: DatabaseConfig, work: (sql: SqlClient) => Promise<T>): Promise<T> {
  const sql = await openDatabase(config);
  try {
    return await work(sql);
  } finally {
    await sql.close();
  }
}

async function seed(config: DatabaseConfig, seed: number): Promise<{ streams: number; events: number }> {
  return withDatabase(config, async (sql) => {
    const store = await eventStoreOn(sql);
    await seedPortfolio(store, { accounts: 8, years: 1, seed });
    await store.close();
    return counts(sql);
  });
}

async function counts(sql: SqlClient): Promise<{ streams: number; events: number }> {
  const { rows } = await sql.query<{ streams: number; events: number }>(
    'SELECT (SELECT count(*)::int FROM event_streams) AS streams, (SELECT count(*)::int FROM events) AS events',
  );
  return rows[0]!;
}

const intact = (streams: number, events: number) =>
  `Verified ${streams.toLocaleString('en')} streams, ${events.toLocaleString('en')} events: every hash chain is intact\n`;

describe('ahe verify', () => {
  const work = mkdtempSync(join(tmpdir(), 'ahe-verify-'));
  const embedded = { DATA_DIR: join(work, 'data') };
  const database: DatabaseConfig = { kind: 'embedded', dataDir: embedded.DATA_DIR };
  let seeded: { streams: number; events: number };

  beforeAll(async () => {
    buildOnce();
    seeded = await seed(database, 11);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('checks every stream of the embedded store and exits 0 when every chain is intact', async () => {
    const run = await ahe(embedded, 'verify');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(intact(seeded.streams, seeded.events));
    expect(seeded.streams).toBe(8);
  });

  it('checks only the accounts given, and exits 2 for an unknown or malformed account', async () => {
    const one = await ahe(embedded, 'verify', 'demo-11-0002', '--json');
    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual({ streams: 1, events: expect.any(Number), broken: 0 });
    const unknown = await ahe(embedded, 'verify', 'demo-11-0002', 'nobody');
    expect(unknown).toMatchObject({ status: 2, stdout: '', stderr: 'No such account: account-nobody\n' });
    const malformed = await ahe(embedded, 'verify', 'not an id');
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('Not an account id: not an id');
  });

  it('exits 3, never the 1 of a broken chain, when it could not check: here a DATA_DIR that holds no store', async () => {
    const run = await ahe({ DATA_DIR: join(work, 'not-a-store') }, 'verify');
    expect(run).toMatchObject({ status: 3, stdout: '' });
    expect(run.stderr).toContain(`no embedded store in ${join(work, 'not-a-store')} (DATA_DIR)`);
  });

  it("names each stream changed behind the engine's back with its first broken revision, and exits 1", async () => {
    await withDatabase(database, async (sql) => {
      await sql.query(`UPDATE events SET data = jsonb_set(data, '{tampered}', 'true') WHERE stream_id = 'account-demo-11-0003' AND revision = 3`);
      await sql.query(`DELETE FROM event_streams WHERE stream_id = 'account-demo-11-0005'`);
    });
    const run = await ahe(embedded, 'verify');
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      'account-demo-11-0005: broken at revision 0 (the stream head is missing)',
      'account-demo-11-0003: broken at revision 3 (content does not match its hash)',
      expect.stringMatching(/^Verified 8 streams, [\d,]+ events: 2 broken$/),
      '',
    ]);

    const json = await ahe(embedded, 'verify', 'demo-11-0003', 'demo-11-0004', '--json');
    expect(json.status).toBe(1);
    expect(json.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { streamId: 'account-demo-11-0003', ok: false, checked: 4, brokenAt: 3, reason: 'content does not match its hash' },
      { streams: 2, events: expect.any(Number), broken: 1 },
    ]);
    expect((await ahe(embedded, 'verify', 'demo-11-0004')).status).toBe(0);
  });

  it('checks every stream on PostgreSQL and names a row whose metadata was changed there', async () => {
    const schema = `verify_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const postgres: DatabaseConfig = { kind: 'postgres', connectionString: TEST_DATABASE_URL, schema };
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
    try {
      const { streams, events } = await seed(postgres, 12);
      const clean = await ahe(env, 'verify');
      expect(clean).toMatchObject({ status: 0, stderr: '', stdout: intact(streams, events) });

      await withDatabase(postgres, (sql) =>
        sql.query(`UPDATE events SET metadata = metadata || '{"actor":"writer:mallory"}' WHERE stream_id = 'account-demo-12-0007' AND revision = 1`),
      );
      const tampered = await ahe(env, 'verify');
      expect(tampered.status).toBe(1);
      expect(tampered.stdout).toContain('account-demo-12-0007: broken at revision 1 (content does not match its hash)\n');
      expect(tampered.stdout).toMatch(/Verified 8 streams, [\d,]+ events: 1 broken\n$/);
    } finally {
      await withDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL }, (sql) => sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    }
  });
});
