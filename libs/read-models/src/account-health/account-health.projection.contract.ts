import type { SqlClient, SqlQueryable } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import { foldEvents, outstandingOf, type FoldableEvent } from '@ahe/domain';
import { eventStoreOn, type EventEnvelope, type EventStore } from '@ahe/event-store';
import { refreshToEnd, type ProjectionDefinition } from '@ahe/projections';
import { loadScoringRules } from '../scoring/scoring-rules.loader';
import { dayNumberOfDate, DAY_MS, isoInstantSql, utcDayNumber } from '../scoring/utc-calendar';
import { accountEnvelopes, opened } from './account-health.fixtures';
import { accountHealthProjection } from './account-health.projection';

export const PROJECTION_NOW = new Date('2025-06-10T12:00:00.000Z');
const rules = loadScoringRules();

export interface ProjectionHarness {
  readonly sql: () => SqlClient;
  readonly store: () => EventStore;
  /** Every demo event, in log order. */
  readonly events: () => readonly EventEnvelope[];
  readonly definition: ProjectionDefinition;
  /** Creates the tables under `prefix` and applies `events` in batches, each in its own transaction. */
  project(prefix: string, events: readonly EventEnvelope[], options?: { batchSize?: number; now?: Date; partEvents?: number }): Promise<void>;
  apply(prefix: string, events: readonly EventEnvelope[], now?: Date, definition?: ProjectionDefinition): Promise<void>;
  refresh(prefix: string, now: Date): Promise<number>;
  /** Every row of the three tables, in primary-key order. */
  dump(prefix: string): Promise<Record<string, unknown[]>>;
}

/**
 * The demo portfolio (40 accounts over two years) appended to a real store and read back,
 * projected by calling `apply` the way the engine does. Tables are created with the logical
 * names under a prefix, so one database holds several runs side by side.
 */
export function projectionHarness(open: () => Promise<SqlClient>): ProjectionHarness {
  let sql: SqlClient;
  let store: EventStore;
  let events: EventEnvelope[] = [];
  const definition = accountHealthProjection({ rules, refreshIntervalMs: 60_000 });
  const context = (tx: SqlQueryable, prefix: string, now: Date) => ({ tx, table: (name: string) => `${prefix}${name}`, now });

  beforeAll(async () => {
    sql = await open();
    store = await eventStoreOn(sql);
    await seedPortfolio(store, { accounts: 40, years: 2, seed: 7, endsAt: '2025-06-01T00:00:00.000Z' });
    for (let batch = await store.readAll({ limit: 1000 }); batch.events.length > 0; batch = await store.readAll({ after: batch.checkpoint, limit: 1000 })) {
      events.push(...batch.events);
    }
  });

  const harness: ProjectionHarness = {
    sql: () => sql,
    store: () => store,
    events: () => events,
    definition,
    async project(prefix, batchEvents, options = {}) {
      for (const table of definition.tables) await sql.exec(table.ddl(`${prefix}${table.name}`));
      const size = options.batchSize ?? 500;
      const applying = options.partEvents === undefined ? definition : accountHealthProjection({ rules, refreshIntervalMs: 60_000, partEvents: options.partEvents });
      for (let start = 0; start < batchEvents.length; start += size) {
        await harness.apply(prefix, batchEvents.slice(start, start + size), options.now, applying);
      }
    },
    apply: (prefix, batch, now = PROJECTION_NOW, applying = definition) => sql.transaction((tx) => applying.apply(batch, context(tx, prefix, now))),
    // Step by step, a transaction each, as the engine runs a refresh.
    refresh: (prefix, now) => refreshToEnd((cursor) => sql.transaction((tx) => definition.refresh!.run(context(tx, prefix, now), cursor))),
    async dump(prefix) {
      const keys: Record<string, string> = { account_health: 'account_id', health_history: 'account_id, day', portfolio: 'group_by, group_key, currency' };
      const dump: Record<string, unknown[]> = {};
      for (const [table, key] of Object.entries(keys)) dump[table] = (await sql.query(`SELECT * FROM ${prefix}${table} ORDER BY ${key}`)).rows;
      return dump;
    },
  };
  return harness;
}

/** The GROUP BY the portfolio's deltas must always equal. */
export const PORTFOLIO_FROM_HEALTH = (prefix: string) => `
  SELECT group_by, group_key, currency,
    count(*) FILTER (WHERE status = 'open')::int AS accounts,
    count(*) FILTER (WHERE status = 'open' AND band = 'green')::int AS green,
    count(*) FILTER (WHERE status = 'open' AND band = 'amber')::int AS amber,
    count(*) FILTER (WHERE status = 'open' AND band = 'red')::int AS red,
    count(*) FILTER (WHERE status = 'churned')::int AS churned,
    count(*) FILTER (WHERE status = 'closed')::int AS closed,
    coalesce(sum(annual_value) FILTER (WHERE status = 'open' AND band = 'red'), 0)::float8 AS revenue_at_risk,
    coalesce(sum(annual_value) FILTER (WHERE status = 'open' AND band = 'amber'), 0)::float8 AS revenue_at_watch,
    sum(ltv_expected)::float8 AS expected_ltv, sum(ltv_realized)::float8 AS realized_ltv
  FROM (SELECT 'manager' AS group_by, manager_id AS group_key, * FROM ${prefix}account_health
        UNION ALL SELECT 'segment', segment, * FROM ${prefix}account_health) AS accounts
  GROUP BY group_by, group_key, currency ORDER BY group_by, group_key, currency`;

export const PORTFOLIO_ROWS = (prefix: string) => `
  SELECT group_by, group_key, currency, accounts, green, amber, red, churned, closed, revenue_at_risk::float8 AS revenue_at_risk,
    revenue_at_watch::float8 AS revenue_at_watch, expected_ltv::float8 AS expected_ltv, realized_ltv::float8 AS realized_ltv
  FROM ${prefix}portfolio ORDER BY group_by, group_key, currency`;

export function describeAccountHealthProjection(harness: ProjectionHarness): void {
  describe('apply and refresh', () => {

    it('gives the same rows in all three tables whatever the batch size, and a replay changes nothing', async () => {
      const events = harness.events();
      expect(events.length).toBeGreaterThan(1000);
      await harness.project('b500_', events, { batchSize: 500 });
      const once = await harness.dump('b500_');
      expect(once['account_health']).toHaveLength(40);
      expect(once['health_history']!.length).toBeGreaterThan(500);
      for (let start = 0; start < events.length; start += 500) await harness.apply('b500_', events.slice(start, start + 500));
      expect(await harness.dump('b500_')).toEqual(once);
      await harness.project('b13_', events, { batchSize: 13 });
      expect(await harness.dump('b13_')).toEqual(once);
      await harness.project('b1_', events, { batchSize: 1 });
      expect(await harness.dump('b1_')).toEqual(once);
      // One batch written in parts of about 100 events, each part's statement sent while the next is folded.
      await harness.project('parts_', events, { batchSize: events.length, partEvents: 100 });
      expect(await harness.dump('parts_')).toEqual(once);
    });

    it('fails a batch written in parts with the first part\'s own error, once every statement sent has settled, and writes nothing', async () => {
      const sql = harness.sql();
      const events = harness.events().slice(0, 1000);
      const inParts = accountHealthProjection({ rules, refreshIntervalMs: 60_000, partEvents: 50 });
      for (const table of inParts.tables) await sql.exec(table.ddl(`broken_${table.name}`));
      await sql.exec('DROP TABLE broken_health_history');
      const failing = sql.transaction((tx) => inParts.apply(events, { tx, table: (name) => `broken_${name}`, now: PROJECTION_NOW }));
      await expect(failing).rejects.toThrow(/broken_health_history/);
      expect((await sql.query('SELECT count(*)::int AS count FROM broken_account_health')).rows).toEqual([{ count: 0 }]);
      expect((await sql.query('SELECT count(*)::int AS count FROM broken_portfolio')).rows).toEqual([{ count: 0 }]);
    });

    it('counts open complaints and overdue invoices as a direct fold of each stream does', async () => {
      await harness.project('fold_', harness.events());
      const { rows } = await harness.sql().query<{ account_id: string; open_complaints: number; overdue_invoices: number; status: string }>(
        'SELECT account_id, open_complaints, overdue_invoices, status FROM fold_account_health ORDER BY account_id',
      );
      const today = utcDayNumber(PROJECTION_NOW.getTime());
      for (const row of rows) {
        const stream = await harness.store().readStream(`account-${row.account_id}`);
        const state = foldEvents(stream as unknown as FoldableEvent[]);
        const at = state.closed ? utcDayNumber(Date.parse(state.closedAt!)) : today;
        const overdue = Object.values(state.invoices).filter((invoice) => outstandingOf(invoice) > 0 && dayNumberOfDate(invoice.dueOn) < at).length;
        expect([row.account_id, row.open_complaints, row.overdue_invoices]).toEqual([row.account_id, Object.keys(state.openComplaints).length, overdue]);
      }
      expect(rows.some((row) => row.open_complaints > 0)).toBe(true);
      expect(rows.some((row) => row.overdue_invoices > 0)).toBe(true);
    });

    it('keeps the portfolio equal to a GROUP BY over account_health, batch by batch', async () => {
      const sql = harness.sql();
      for (const table of harness.definition.tables) await sql.exec(table.ddl(`grp_${table.name}`));
      const events = harness.events();
      for (let start = 0; start < events.length; start += 250) {
        await harness.apply('grp_', events.slice(start, start + 250));
        expect((await sql.query(PORTFOLIO_ROWS('grp_'))).rows).toEqual((await sql.query(PORTFOLIO_FROM_HEALTH('grp_'))).rows);
      }
      // A manager change moves the account between the manager rows.
      const { rows } = await sql.query<{ account_id: string; revision: number; manager_id: string }>('SELECT account_id, revision, manager_id FROM grp_account_health WHERE status = $1 LIMIT 1', ['open']);
      const [account] = rows;
      const reassigned = accountEnvelopes(account!.account_id, [opened('2024-01-01T00:00:00.000Z'), { type: 'AccountManagerAssigned', occurredAt: '2025-06-02T00:00:00.000Z', data: { managerId: 'mgr-new' } }], 10_000_000).slice(1);
      await harness.apply('grp_', [{ ...reassigned[0]!, revision: account!.revision + 1 }]);
      const managers = await sql.query<{ group_key: string; accounts: number }>(`SELECT group_key, accounts FROM grp_portfolio WHERE group_by = 'manager' AND group_key = 'mgr-new'`);
      expect(managers.rows).toEqual([{ group_key: 'mgr-new', accounts: 1 }]);
      expect((await sql.query(PORTFOLIO_ROWS('grp_'))).rows).toEqual((await sql.query(PORTFOLIO_FROM_HEALTH('grp_'))).rows);
    });

    it('refreshes stale scores when time moves on: days since contact, expected LTV and the portfolio follow', async () => {
      const sql = harness.sql();
      await harness.project('ref_', harness.events());
      const later = new Date(PROJECTION_NOW.getTime() + 10 * DAY_MS);
      const before = await sql.query<{ account_id: string; days_since_last_contact: number; status: string }>('SELECT account_id, days_since_last_contact, status FROM ref_account_health ORDER BY account_id');
      const open = before.rows.filter((row) => row.status === 'open');
      expect(await harness.refresh('ref_', PROJECTION_NOW)).toBe(0);
      expect(await harness.refresh('ref_', later)).toBe(open.length);
      const after = await sql.query<{ account_id: string; days_since_last_contact: number }>('SELECT account_id, days_since_last_contact FROM ref_account_health ORDER BY account_id');
      expect(after.rows).toEqual(before.rows.map(({ account_id, days_since_last_contact, status }) => ({ account_id, days_since_last_contact: status === 'open' ? days_since_last_contact + 10 : days_since_last_contact })));
      expect((await sql.query(PORTFOLIO_ROWS('ref_'))).rows).toEqual((await sql.query(PORTFOLIO_FROM_HEALTH('ref_'))).rows);
      // The same as projecting the log afresh at the later instant, portfolio included.
      await harness.project('late_', harness.events(), { now: later });
      const [refreshed, fresh] = [await harness.dump('ref_'), await harness.dump('late_')];
      expect(refreshed['account_health']).toEqual(fresh['account_health']);
      expect((await sql.query(PORTFOLIO_ROWS('ref_'))).rows).toEqual((await sql.query(PORTFOLIO_ROWS('late_'))).rows);
      expect(await harness.refresh('ref_', later)).toBe(0);
    });

    it('churns an account at its contract\'s end after a lost renewal: the refresh moves it from its band to churned', async () => {
      const sql = harness.sql();
      for (const table of harness.definition.tables) await sql.exec(table.ddl(`churn_${table.name}`));
      const contract = { startsOn: '2024-06-13', endsOn: '2025-06-12', annualValue: 120_000 };
      await harness.apply('churn_', accountEnvelopes('leaving', [
        { type: 'AccountOpened', occurredAt: '2024-06-13T09:00:00.000Z', data: { name: 'Leaving', segment: 'smb', managerId: 'mgr-churn', currency: 'EUR', contract } },
        { type: 'RenewalLost', occurredAt: '2025-05-20T10:00:00.000Z', data: { reason: 'Budget cut' } },
      ], 20_000_000));
      const row = () => sql.query<{ status: string; scored_at: string; rescore_at: string | null; ltv_expected: number }>(
        `SELECT status, ${isoInstantSql('scored_at')} AS scored_at, ${isoInstantSql('rescore_at')} AS rescore_at, ltv_expected::int AS ltv_expected
         FROM churn_account_health WHERE account_id = $1`, ['leaving']);
      const managerRow = async () => (await sql.query(`SELECT accounts, red + amber + green AS banded, churned, closed FROM churn_portfolio WHERE group_key = 'mgr-churn'`)).rows;
      expect((await row()).rows[0]).toMatchObject({ status: 'open', rescore_at: '2025-06-11T00:00:00.000Z' });
      expect(await managerRow()).toEqual([{ accounts: 1, banded: 1, churned: 0, closed: 0 }]);

      expect(await harness.refresh('churn_', new Date('2025-06-12T23:00:00.000Z'))).toBe(1);
      expect((await row()).rows[0]).toMatchObject({ status: 'open', rescore_at: '2025-06-13T00:00:00.000Z' });
      expect(await harness.refresh('churn_', new Date('2025-06-12T23:59:59.999Z'))).toBe(0);
      expect(await harness.refresh('churn_', new Date('2025-06-13T00:00:00.000Z'))).toBe(1);
      expect((await row()).rows[0]).toEqual({ status: 'churned', scored_at: '2025-06-13T00:00:00.000Z', rescore_at: null, ltv_expected: 0 });
      expect(await managerRow()).toEqual([{ accounts: 0, banded: 0, churned: 1, closed: 0 }]);
      expect((await sql.query(PORTFOLIO_ROWS('churn_'))).rows).toEqual((await sql.query(PORTFOLIO_FROM_HEALTH('churn_'))).rows);
      expect(await harness.refresh('churn_', new Date('2025-09-01T00:00:00.000Z'))).toBe(0);
    });

    it('refuses an event of an account that was never opened, naming it, and ignores other streams', async () => {
      const sql = harness.sql();
      for (const table of harness.definition.tables) await sql.exec(table.ddl(`odd_${table.name}`));
      const [, contact] = accountEnvelopes('ghost', [opened('2025-01-01T00:00:00.000Z'), { type: 'ContactLogged', occurredAt: '2025-01-02T00:00:00.000Z', data: { channel: 'call', direction: 'inbound', summary: 'hello' } }]);
      await expect(harness.apply('odd_', [contact!])).rejects.toThrow(/ghost.*ContactLogged.*revision 1/);
      await harness.apply('odd_', [{ ...contact!, streamId: 'escalations-ghost' }]);
      expect((await harness.dump('odd_'))['account_health']).toEqual([]);
    });
  });
}
