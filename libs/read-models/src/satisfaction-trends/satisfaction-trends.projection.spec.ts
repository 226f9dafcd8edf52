import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, type SqlClient } from '@ahe/database';
import { eventStoreOn, type EventEnvelope, type EventStore } from '@ahe/event-store';
import type { SatisfactionTrendPoint } from '../query.types';
import {
  applyTrendBatch,
  projectTrends,
  readWholeLog,
  resetTrendTables,
  seedTrendLog,
  trendTablesSnapshot,
  UNOPENED_STREAM,
} from './satisfaction-trends.harness.contract';
import { satisfactionTrends } from './satisfaction-trends.queries';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Tally {
  responses: number;
  csat: number;
  nps: number;
  promoters: number;
  detractors: number;
}

/** Counts the surveys of the log per grouping straight from the events, memberships in log order. */
function tallySurveys(log: readonly EventEnvelope[]): Map<string, Tally> {
  const members = new Map<string, { segment: string; managerId: string }>();
  const tallies = new Map<string, Tally>();
  for (const event of log) {
    if (!event.streamId.startsWith('account-')) continue;
    const accountId = event.streamId.slice('account-'.length);
    const data = event.data as { segment: string; managerId: string; kind: 'csat' | 'nps'; score: number };
    if (event.type === 'AccountOpened') members.set(accountId, { segment: data.segment, managerId: data.managerId });
    if (event.type === 'AccountManagerAssigned') members.set(accountId, { ...members.get(accountId)!, managerId: data.managerId });
    if (event.type !== 'SatisfactionRecorded') continue;
    const { segment, managerId } = members.get(accountId)!;
    const month = `${event.occurredAt.slice(0, 7)}-01`;
    for (const key of [`account|${accountId}`, `segment|${segment}`, `manager|${managerId}`, `month|account|${accountId}|${month}`]) {
      const tally = tallies.get(key) ?? { responses: 0, csat: 0, nps: 0, promoters: 0, detractors: 0 };
      tally.responses += 1;
      if (data.kind === 'csat') tally.csat += 1;
      else {
        tally.nps += 1;
        if (data.score >= 9) tally.promoters += 1;
        if (data.score <= 6) tally.detractors += 1;
      }
      tallies.set(key, tally);
    }
  }
  return tallies;
}

function describeSatisfactionTrends(label: string, open: () => Promise<SqlClient>, dispose: (sql: SqlClient) => Promise<void>): void {
  describe(`satisfaction_trends on ${label}`, () => {
    let sql: SqlClient;
    let store: EventStore;
    let log: EventEnvelope[];
    let ghost: EventEnvelope;

    beforeAll(async () => {
      sql = await open();
      store = await eventStoreOn(sql);
      await seedTrendLog(store);
      const all = await readWholeLog(store);
      log = all.filter((event) => event.streamId !== UNOPENED_STREAM);
      ghost = all.find((event) => event.streamId === UNOPENED_STREAM)!;
    });
    afterAll(async () => {
      await store?.close();
      if (sql) await dispose(sql);
    });

    async function projectAll(batchSize = 500): Promise<void> {
      await resetTrendTables(sql);
      await projectTrends(sql, log, batchSize);
    }

    it('gives the same rows when every event is applied twice', async () => {
      await projectAll(100);
      const once = await trendTablesSnapshot(sql);
      expect(once.trends.length).toBeGreaterThan(100);
      await projectTrends(sql, log, 100);
      await projectTrends(sql, log.slice(300, 900).reverse(), 37);
      expect(await trendTablesSnapshot(sql)).toEqual(once);
    });

    it('gives the same rows whatever the batch size', async () => {
      await projectAll(500);
      const reference = await trendTablesSnapshot(sql);
      for (const batchSize of [1, 7]) {
        await projectAll(batchSize);
        expect(await trendTablesSnapshot(sql)).toEqual(reference);
      }
    });

    it('counts every survey once per grouping and interval, for its manager at the time', async () => {
      await projectAll();
      const expected = tallySurveys(log);
      const { rows } = await sql.query<{ group_by: string; group_key: string; interval: string; responses: number; csat: number; nps: number; promoters: number; detractors: number }>(
        `SELECT group_by, group_key, "interval", sum(responses)::int AS responses, sum(csat_responses)::int AS csat,
           sum(nps_responses)::int AS nps, sum(nps_promoters)::int AS promoters, sum(nps_detractors)::int AS detractors
         FROM satisfaction_trends GROUP BY group_by, group_key, "interval"`,
      );
      for (const interval of ['week', 'month']) {
        const actual = new Map(rows.filter((row) => row.interval === interval).map(({ group_by, group_key, interval: _, ...tally }) => [`${group_by}|${group_key}`, tally]));
        expect(actual).toEqual(new Map([...expected].filter(([key]) => !key.startsWith('month|'))));
      }
      const months = await sql.query<{ key: string; responses: number; csat: number; nps: number; promoters: number; detractors: number }>(
        `SELECT 'month|account|' || group_key || '|' || to_char(period_start, 'YYYY-MM-DD') AS key, responses, csat_responses AS csat,
           nps_responses AS nps, nps_promoters AS promoters, nps_detractors AS detractors
         FROM satisfaction_trends WHERE group_by = 'account' AND "interval" = 'month'`,
      );
      expect(new Map(months.rows.map(({ key, ...tally }) => [key, tally]))).toEqual(new Map([...expected].filter(([key]) => key.startsWith('month|'))));
      const surveys = log.filter((event) => event.type === 'SatisfactionRecorded' && event.streamId.startsWith('account-')).length;
      expect(rows.filter((row) => row.group_by === 'manager').reduce((sum, row) => sum + row.responses, 0)).toBe(2 * surveys);
    });

    it('moves the surveys recorded after a handover to the new manager', async () => {
      await projectAll(3);
      const before = await satisfactionTrends(sql, { groupBy: 'manager', interval: 'month', key: 'mgr-trend-a' });
      const after = await satisfactionTrends(sql, { groupBy: 'manager', interval: 'month', key: 'mgr-trend-b' });
      expect(before.map((p) => [p.period, p.responses, p.nps.promoters])).toEqual([['2024-03-01', 1, 1]]);
      // the back-dated February survey was recorded after the handover
      expect(after.map((p) => [p.period, p.responses, p.csat.responses, p.nps.detractors])).toEqual([['2024-02-01', 1, 0, 1], ['2024-03-01', 1, 1, 0]]);
      const { rows } = await sql.query(`SELECT segment, manager_id FROM satisfaction_trend_accounts WHERE account_id = 'trend-handover'`);
      expect(rows).toEqual([{ segment: 'trend-lab', manager_id: 'mgr-trend-b' }]);
    });

    it('answers series ordered by key then period, filtered by key and period bounds', async () => {
      await projectAll();
      const weeks = await satisfactionTrends(sql, { groupBy: 'segment', interval: 'week', key: 'trend-scorecard' });
      expect(weeks).toEqual<SatisfactionTrendPoint[]>([
        { groupBy: 'segment', key: 'trend-scorecard', interval: 'week', period: '2024-05-06', responses: 8, mean: 75.63, csat: { responses: 2, mean: 62.5 }, nps: { responses: 6, promoters: 3, detractors: 2, score: 16.7 } },
        { groupBy: 'segment', key: 'trend-scorecard', interval: 'week', period: '2024-05-13', responses: 1, mean: 90, csat: { responses: 0, mean: null }, nps: { responses: 1, promoters: 1, detractors: 0, score: 100 } },
        { groupBy: 'segment', key: 'trend-scorecard', interval: 'week', period: '2024-06-03', responses: 1, mean: 50, csat: { responses: 1, mean: 50 }, nps: { responses: 0, promoters: 0, detractors: 0, score: null } },
      ]);
      const months = await satisfactionTrends(sql, { groupBy: 'account', interval: 'month', key: 'trend-scorecard' });
      expect(months.map((p) => [p.period, p.responses, p.mean, p.nps.score])).toEqual([['2024-05-01', 9, 77.22, 28.6], ['2024-06-01', 1, 50, null]]);

      const bounded = await satisfactionTrends(sql, { groupBy: 'segment', interval: 'week', key: 'trend-scorecard', from: '2024-05-07', to: '2024-06-03' });
      expect(bounded.map((p) => p.period)).toEqual(['2024-05-13', '2024-06-03']);
      const upTo = await satisfactionTrends(sql, { groupBy: 'segment', interval: 'week', key: 'trend-scorecard', to: '2024-05-13' });
      expect(upTo.map((p) => p.period)).toEqual(['2024-05-06', '2024-05-13']);

      const all = await satisfactionTrends(sql, { groupBy: 'manager', interval: 'month' });
      const order = all.map((p) => `${p.key}\u0000${p.period}`);
      expect(order).toEqual([...order].sort());
      expect(new Set(all.map((p) => p.key)).size).toBeGreaterThan(3);
      expect(all.every((p) => p.groupBy === 'manager' && p.interval === 'month')).toBe(true);
      expect(all.some((p) => p.key === 'mgr-nobody')).toBe(false);
    });

    it('ignores other streams and unknown types, but advances the revision past them', async () => {
      await projectAll();
      const lastOfScorecard = log.filter((event) => event.streamId === 'account-trend-scorecard').at(-1)!;
      expect(lastOfScorecard.type).toBe('SurveyImported');
      const { rows } = await sql.query<{ account_id: string; revision: number }>(`SELECT account_id, revision FROM satisfaction_trend_accounts`);
      expect(rows.find((row) => row.account_id === 'trend-scorecard')!.revision).toBe(lastOfScorecard.revision);
      expect(rows.some((row) => row.account_id.includes('inbox'))).toBe(false);
    });

    it('rejects a survey on an account that was never opened, naming both, and writes nothing', async () => {
      await projectAll();
      const before = await trendTablesSnapshot(sql);
      const reopened = { ...ghost, revision: 0 };
      await expect(applyTrendBatch(sql, [reopened])).rejects.toThrow(new RegExp(`trend-unopened.*SatisfactionRecorded ${ghost.eventId}`));
      const fresh = log.find((event) => event.streamId === 'account-trend-scorecard')!;
      await resetTrendTables(sql);
      await expect(applyTrendBatch(sql, [fresh, ghost])).rejects.toThrow(/trend-unopened/);
      expect(await trendTablesSnapshot(sql)).toEqual({ trends: [], accounts: [] });
      expect(before.trends.length).toBeGreaterThan(0);
    });
  });
}

describeSatisfactionTrends(
  'PostgreSQL',
  () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema: `trends_${randomUUID().slice(0, 8)}`, poolSize: 4 }),
  async (sql) => {
    const { rows } = await sql.query<{ schema: string }>('SELECT current_schema() AS schema');
    await sql.query(`DROP SCHEMA ${rows[0].schema} CASCADE`);
    await sql.close();
  },
);

describeSatisfactionTrends(
  'the embedded database',
  () => openDatabase({ kind: 'embedded', dataDir: IN_MEMORY }),
  (sql) => sql.close(),
);
