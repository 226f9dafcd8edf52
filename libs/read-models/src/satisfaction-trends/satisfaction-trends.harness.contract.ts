import type { SqlClient } from '@ahe/database';
import { generatePortfolio, type DemoLine } from '@ahe/demo';
import { START, type EventEnvelope, type EventStore, type NewEvent } from '@ahe/event-store';
import { currentSchemaVersion, isAccountEventType } from '@ahe/events';
import { satisfactionTrendsProjection } from './satisfaction-trends.projection';
import { SATISFACTION_TRENDS_TABLES } from './satisfaction-trends.table';

/**
 * Test harness of the satisfaction_trends specs: a real log (demo portfolio plus hand-made
 * accounts) and the projection driven directly, tables named by their logical names.
 */
export const UNOPENED_STREAM = 'account-trend-unopened';
const NOW = new Date('2026-01-01T00:00:00.000Z');
const projection = satisfactionTrendsProjection();

const at = (occurredAt: string, type: string, data: unknown): NewEvent => ({
  type,
  schemaVersion: isAccountEventType(type) ? currentSchemaVersion(type) : 1,
  occurredAt,
  data,
});
const opened = (occurredAt: string, segment: string, managerId: string) =>
  at(occurredAt, 'AccountOpened', { name: 'Trend Test Ltd', segment, managerId, currency: 'EUR' });
const survey = (occurredAt: string, kind: 'csat' | 'nps', score: number) => at(occurredAt, 'SatisfactionRecorded', { kind, score });

/** A handover between two surveys, then a back-dated survey that still counts for the new manager. */
export const HANDOVER: readonly NewEvent[] = [
  opened('2024-02-01T09:00:00.000Z', 'trend-lab', 'mgr-trend-a'),
  survey('2024-03-04T09:00:00.000Z', 'nps', 10),
  at('2024-03-05T09:00:00.000Z', 'AccountManagerAssigned', { managerId: 'mgr-trend-b', previousManagerId: 'mgr-trend-a' }),
  survey('2024-03-06T09:00:00.000Z', 'csat', 4),
  survey('2024-02-20T09:00:00.000Z', 'nps', 2),
];

/** Known figures: see the query spec for the expected means and NPS. */
export const SCORECARD: readonly NewEvent[] = [
  opened('2024-05-01T08:00:00.000Z', 'trend-scorecard', 'mgr-trend-c'),
  ...[10, 9, 8, 6, 5, 10].map((score, day) => survey(`2024-05-${String(6 + day).padStart(2, '0')}T12:00:00.000Z`, 'nps', score)),
  survey('2024-05-12T23:59:59.999Z', 'csat', 5),
  survey('2024-05-06T00:00:00.000Z', 'csat', 2),
  survey('2024-05-13T00:00:00.000Z', 'nps', 9),
  survey('2024-06-03T10:00:00.000Z', 'csat', 3),
  at('2024-06-04T10:00:00.000Z', 'SurveyImported', { note: 'a type this build does not know' }),
];

/**
 * Appends the demo portfolio interleaved (a few events of each account in turn, so batches mix
 * accounts), the hand-made accounts, a non-account stream and an account that was never opened.
 */
export async function seedTrendLog(store: EventStore): Promise<void> {
  const byStream = new Map<string, DemoLine[]>();
  for (const line of generatePortfolio({ accounts: 30, years: 2 })) {
    byStream.set(line.streamId, [...(byStream.get(line.streamId) ?? []), line]);
  }
  const queues = [...byStream.entries()];
  for (let offset = 0; queues.some(([, lines]) => offset < lines.length); offset += 6) {
    for (const [streamId, lines] of queues) {
      const chunk = lines.slice(offset, offset + 6);
      if (chunk.length > 0) await store.append(streamId, chunk.map((line) => at(line.occurredAt, line.type, line.data)));
    }
  }
  await store.append('account-trend-handover', HANDOVER.slice(0, 2));
  await store.append('account-trend-scorecard', SCORECARD);
  await store.append('account-trend-handover', HANDOVER.slice(2));
  await store.append('survey-inbox-1', [opened('2024-05-01T00:00:00.000Z', 'not-an-account', 'mgr-nobody'), survey('2024-05-02T00:00:00.000Z', 'nps', 0)]);
  await store.append(UNOPENED_STREAM, [survey('2024-05-02T00:00:00.000Z', 'csat', 1)]);
}

export async function readWholeLog(store: EventStore): Promise<EventEnvelope[]> {
  const all: EventEnvelope[] = [];
  for (let after = START; ; ) {
    const { events, checkpoint } = await store.readAll({ after, limit: 500 });
    if (events.length === 0) return all;
    all.push(...events);
    after = checkpoint;
  }
}

export async function resetTrendTables(sql: SqlClient): Promise<void> {
  for (const table of SATISFACTION_TRENDS_TABLES) {
    await sql.exec(`DROP TABLE IF EXISTS ${table.name}; ${table.ddl(table.name)}`);
  }
}

export function applyTrendBatch(sql: SqlClient, batch: readonly EventEnvelope[]): Promise<void> {
  return sql.transaction((tx) => projection.apply(batch, { tx, table: (name) => name, now: NOW }));
}

export async function projectTrends(sql: SqlClient, events: readonly EventEnvelope[], batchSize: number): Promise<void> {
  for (let start = 0; start < events.length; start += batchSize) {
    await applyTrendBatch(sql, events.slice(start, start + batchSize));
  }
}

/** Every stored row of both tables, in a stable order, numerics as text so equality is exact. */
export async function trendTablesSnapshot(sql: SqlClient): Promise<{ trends: unknown[]; accounts: unknown[] }> {
  const trends = await sql.query(
    `SELECT group_by, group_key, "interval", to_char(period_start, 'YYYY-MM-DD') AS period_start, responses,
       score_sum::text AS score_sum, csat_responses, csat_sum::text AS csat_sum, nps_responses, nps_promoters, nps_detractors
     FROM satisfaction_trends ORDER BY group_by, group_key COLLATE "C", "interval", period_start`,
  );
  const accounts = await sql.query(`SELECT account_id, segment, manager_id, revision FROM satisfaction_trend_accounts ORDER BY account_id COLLATE "C"`);
  return { trends: trends.rows, accounts: accounts.rows };
}
