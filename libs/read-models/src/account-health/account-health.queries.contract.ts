import { healthHistory } from '../health-history/health-history.queries';
import { portfolioRollups } from '../portfolio/portfolio.queries';
import { HEALTH_SORT_KEYS, type AccountHealthView, type HealthListQuery, type HealthSortKey } from '../query.types';
import { loadScoringRules } from '../scoring/scoring-rules.loader';
import { DAY_MS } from '../scoring/utc-calendar';
import { PORTFOLIO_ROWS, PROJECTION_NOW, type ProjectionHarness } from './account-health.projection.contract';
import { factsOfStored, healthFactsOf, type StoredHealthFacts } from './account-health.facts';
import { describeHealthGets } from './account-health.get.contract';
import { describeHealthListJson } from './account-health.list-json.contract';
import { HealthQueries } from './account-health.queries';
import { InvalidCursorError } from './health-cursor';
import { healthListStatement, MAX_PREPARED_LISTS } from './health-list.sql';

const rules = loadScoringRules();

const SORT_VALUE: Record<HealthSortKey, (view: AccountHealthView) => string | number | null> = {
  churnRisk: (view) => view.churnRisk,
  accountId: (view) => view.accountId,
  name: (view) => view.name,
  daysSinceLastContact: (view) => view.daysSinceLastContact,
  ltvTotal: (view) => view.ltv.total,
  renewalDate: (view) => view.renewalDate,
  updatedAt: (view) => view.updatedAt,
};

/** Queries on tables under their logical names, as the engine's views serve them. */
export function describeHealthQueries(harness: ProjectionHarness): void {
  describe('queries', () => {
    let queries: HealthQueries;
    let all: readonly AccountHealthView[];
    const walk = async (query: Omit<HealthListQuery, 'limit' | 'cursor'>, limit: number) => {
      const seen: AccountHealthView[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await queries.list({ ...query, limit, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.items);
        if (page.nextCursor === null) return seen;
        expect(page.items).toHaveLength(limit);
        cursor = page.nextCursor;
      }
      throw new Error('pagination does not end');
    };

    beforeAll(async () => {
      await harness.project('', harness.events());
      queries = new HealthQueries(harness.sql(), rules);
      all = (await queries.list({ sort: { key: 'accountId', descending: false }, limit: 1000 })).items;
    });

    it('re-scores one account at the instant asked: the stored row at the projection instant, exact days later', async () => {
      const open = all.find((view) => view.status === 'open' && view.daysSinceLastContact !== null)!;
      expect(await queries.get(open.accountId, PROJECTION_NOW)).toEqual(open);
      const later = await queries.get(open.accountId, new Date(PROJECTION_NOW.getTime() + 3 * DAY_MS));
      expect(later!.daysSinceLastContact).toBe(open.daysSinceLastContact! + 3);
      expect(await queries.get('nobody', PROJECTION_NOW)).toBeNull();
      expect(all).toHaveLength(40);
    });

    it('stores the collections as [id, value] lists, and serves a row stored before account_health.v5 (as records) as it served it then', async () => {
      const sql = harness.sql();
      const { rows } = await sql.query<{ account_id: string; facts: StoredHealthFacts }>('SELECT account_id, facts FROM account_health ORDER BY account_id');
      expect(rows.every((row) => Array.isArray(row.facts.state.invoices) && Array.isArray(row.facts.state.openComplaints))).toBe(true);
      const busy = rows.filter((row) => row.facts.state.invoices.length > 0 || row.facts.state.openComplaints.length > 0);
      expect(busy.length).toBeGreaterThan(0);
      const served = await Promise.all(busy.map((row) => queries.get(row.account_id, PROJECTION_NOW)));
      expect(served.every((view) => view !== null)).toBe(true);
      try {
        for (const row of busy) {
          // The AccountState view reads as records: what JSON.stringify wrote into `facts` up to account_health.v4.
          const legacy = JSON.stringify(healthFactsOf(factsOfStored(row.facts)));
          expect(legacy).toContain('"invoices":{');
          await sql.query('UPDATE account_health SET facts = $2 WHERE account_id = $1', [row.account_id, legacy]);
        }
        expect(await Promise.all(busy.map((row) => queries.get(row.account_id, PROJECTION_NOW)))).toEqual(served);
      } finally {
        for (const row of busy) await sql.query('UPDATE account_health SET facts = $2 WHERE account_id = $1', [row.account_id, JSON.stringify(row.facts)]);
      }
    });

    describeHealthListJson(harness, () => ({ queries, all }));

    describeHealthGets(harness, () => ({ all }));

    it('names each list shape as a prepared statement, the same name for the same text, up to a bound', () => {
      const sort = { key: 'churnRisk', descending: true } as const;
      const first = healthListStatement('account_health', 'account_id', { sort, limit: 50 }, null);
      expect(healthListStatement('account_health', 'account_id', { sort, limit: 10 }, null).name).toBe(first.name);
      const banded = healthListStatement('account_health', 'account_id', { sort, limit: 50, band: 'red' }, null);
      expect(banded.name).toEqual(expect.any(String));
      expect(banded.name).not.toBe(first.name);
      const names = Array.from({ length: MAX_PREPARED_LISTS + 1 }, (_, index) => healthListStatement(`t${index}`, 'account_id', { sort, limit: 5 }, null).name);
      expect(names.at(-1)).toBeUndefined();
      expect(healthListStatement('account_health', 'account_id', { sort, limit: 50 }, null).name).toBe(first.name);
    });

    it('filters by band, manager, segment, status and risk range', async () => {
      const sample = all[0]!;
      const cases: [Partial<HealthListQuery>, (view: AccountHealthView) => boolean][] = [
        [{ band: sample.band }, (view) => view.band === sample.band],
        [{ managerId: sample.managerId }, (view) => view.managerId === sample.managerId],
        [{ segment: sample.segment }, (view) => view.segment === sample.segment],
        [{ status: 'closed' }, (view) => view.status === 'closed'],
        [{ minRisk: 10, maxRisk: 40 }, (view) => view.churnRisk >= 10 && view.churnRisk <= 40],
        [{ minRisk: 10.25, maxRisk: 40.5 }, (view) => view.churnRisk >= 10.25 && view.churnRisk <= 40.5],
        [{ minRisk: 33.5, maxRisk: 33.9 }, () => false],
        [{ segment: sample.segment, status: 'open', minRisk: 1 }, (view) => view.segment === sample.segment && view.status === 'open' && view.churnRisk >= 1],
      ];
      for (const [filter, keep] of cases) {
        const { items } = await queries.list({ ...filter, sort: { key: 'accountId', descending: false }, limit: 1000 });
        expect(items.map((view) => view.accountId)).toEqual(all.filter(keep).map((view) => view.accountId));
      }
      expect(all.some((view) => view.status === 'closed')).toBe(true);
    });

    describe.each(HEALTH_SORT_KEYS.flatMap((key) => [false, true].map((descending) => ({ key, descending }))))('sorted by $key (descending: $descending)', (sort) => {
      it('walks every row exactly once, in order, NULLs last and ties by account id', async () => {
        const walked = await walk({ sort }, 7);
        const onePage = (await queries.list({ sort, limit: 1000 })).items;
        expect(walked.map((view) => view.accountId)).toEqual(onePage.map((view) => view.accountId));
        expect(new Set(walked.map((view) => view.accountId)).size).toBe(all.length);
        if (sort.key === 'name' || sort.key === 'accountId') return; // text order is the database collation's
        const value = SORT_VALUE[sort.key];
        for (let index = 1; index < walked.length; index++) {
          const [previous, current] = [value(walked[index - 1]!), value(walked[index]!)];
          if (current === null) {
            if (previous === null) expect(walked[index - 1]!.accountId < walked[index]!.accountId).toBe(true);
            continue;
          }
          expect(previous).not.toBeNull();
          if (previous === current) expect(walked[index - 1]!.accountId < walked[index]!.accountId).toBe(true);
          else expect(previous! < current === !sort.descending).toBe(true);
        }
      });
    });

    it('refuses a cursor of another sort, and one it did not hand out', async () => {
      const { nextCursor } = await queries.list({ sort: { key: 'churnRisk', descending: true }, limit: 5 });
      await expect(queries.list({ sort: { key: 'churnRisk', descending: false }, limit: 5, cursor: nextCursor! })).rejects.toThrow(InvalidCursorError);
      await expect(queries.list({ sort: { key: 'name', descending: true }, limit: 5, cursor: nextCursor! })).rejects.toThrow(InvalidCursorError);
      for (const bad of ['nope!', 'bm9wZQ', Buffer.from('{"s":"-churnRisk"}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
        await expect(queries.list({ sort: { key: 'churnRisk', descending: true }, limit: 5, cursor: bad })).rejects.toThrow(InvalidCursorError);
      }
    });

    it('refuses a forged cursor whose value or id the sort column could not hold, before the database sees it', async () => {
      const forged = (s: string, v: string, id = 'acme') => Buffer.from(JSON.stringify({ s, v, id })).toString('base64url');
      const cases: Array<[HealthSortKey, string, string?]> = [
        ['churnRisk', 'x'],
        ['churnRisk', '2147483648'],
        ['ltvTotal', '1e3'],
        ['ltvTotal', '9223372036854775808'],
        ['renewalDate', '2026-02-30'],
        ['renewalDate', 'tomorrow'],
        ['updatedAt', '2026-01-31T24:00:00.000000Z'],
        ['updatedAt', '0000-01-01T00:00:00.000000Z'],
        ['renewalDate', '0000-01-01'],
        ['name', 'a\u0000b'],
        ['accountId', 'acme', 'a\u0000b'],
        ['daysSinceLastContact', '1.5'],
      ];
      for (const [key, value, id] of cases) {
        const cursor = forged(`-${key}`, value, id);
        await expect(queries.list({ sort: { key, descending: true }, limit: 5, cursor })).rejects.toThrow(InvalidCursorError);
      }
      const page = await queries.list({ sort: { key: 'updatedAt', descending: true }, limit: 2, cursor: forged('-updatedAt', '2999-01-01T00:00:00.000000Z') });
      expect(page.items).toHaveLength(2);
      // A cursor handed out before the UTC form: PostgreSQL's own text of the instant.
      const earlier = await queries.list({ sort: { key: 'updatedAt', descending: true }, limit: 2, cursor: forged('-updatedAt', '2999-01-01 00:00:00.5+00') });
      expect(earlier.items).toEqual(page.items);
    });

    it('serves history by day, and by week and month as the last day-row of each bucket', async () => {
      const accountId = all[0]!.accountId;
      const days = (await queries.history({ accountId, interval: 'day' }))!;
      expect(days.length).toBeGreaterThan(10);
      const lastOfBucket = (start: (day: string) => string) => {
        const buckets = new Map<string, (typeof days)[number]>();
        for (const point of days) buckets.set(start(point.period), { ...point, period: start(point.period) });
        return [...buckets.values()];
      };
      const monday = (day: string) => new Date(Date.parse(day) - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
      expect(await queries.history({ accountId, interval: 'week' })).toEqual(lastOfBucket(monday));
      expect(await queries.history({ accountId, interval: 'month' })).toEqual(lastOfBucket((day) => `${day.slice(0, 7)}-01`));
      const [from, to] = [days[2]!.period, days[5]!.period];
      expect(await queries.history({ accountId, interval: 'day', from, to })).toEqual(days.slice(2, 6));
      expect(days[days.length - 1]!.position).toBe(all[0]!.position);
      expect(await queries.history({ accountId: 'nobody', interval: 'day' })).toBeNull();
      expect(await healthHistory(harness.sql(), { accountId: 'nobody', interval: 'day' })).toEqual([]);
    });

    it('rolls the portfolio up per manager and per segment', async () => {
      const { rows } = await harness.sql().query<Record<string, number | string>>(PORTFOLIO_ROWS(''));
      for (const groupBy of ['manager', 'segment'] as const) {
        const rollups = await portfolioRollups(harness.sql(), groupBy);
        expect(rollups.map((rollup) => [rollup.key, rollup.currency, rollup.accounts, rollup.bands.red, rollup.churned, rollup.closed, rollup.revenueAtRisk, rollup.expectedLtv])).toEqual(
          rows.filter((row) => row['group_by'] === groupBy).map((row) => [row['group_key'], row['currency'], row['accounts'], row['red'], row['churned'], row['closed'], row['revenue_at_risk'], row['expected_ltv']]),
        );
        expect(rollups.reduce((sum, rollup) => sum + rollup.accounts + rollup.churned + rollup.closed, 0)).toBe(all.length);
      }
    });

    it('rolls up a portfolio table built before account_health.v6, which has no churned column, as none churned', async () => {
      const sql = harness.sql();
      const current = await portfolioRollups(sql, 'manager');
      await sql.exec(`ALTER TABLE portfolio RENAME TO portfolio_v6;
        CREATE TABLE portfolio AS SELECT group_by, group_key, currency, accounts, green, amber, red, closed,
          revenue_at_risk, revenue_at_watch, expected_ltv, realized_ltv FROM portfolio_v6`);
      try {
        const rollups = await portfolioRollups(sql, 'manager');
        expect(rollups).toEqual(current.map((rollup) => ({ ...rollup, churned: 0 })));
        expect(rollups.length).toBeGreaterThan(0);
      } finally {
        await sql.exec('DROP TABLE portfolio; ALTER TABLE portfolio_v6 RENAME TO portfolio');
      }
    });
  });
}
