import type { AccountHealthView, HealthListQuery } from '../query.types';
import { loadScoringRules } from '../scoring/scoring-rules.loader';
import type { ProjectionHarness } from './account-health.projection.contract';
import { HealthQueries } from './account-health.queries';

const rules = loadScoringRules();

/**
 * listJson against list() (account-health.queries.contract.ts runs these, on the rows it projected):
 * the page's JSON text written by the database is JSON.stringify of the views, whatever the values.
 */
export function describeHealthListJson(harness: ProjectionHarness, projected: () => { readonly queries: HealthQueries; readonly all: readonly AccountHealthView[] }): void {
  describe('list pages as JSON text', () => {
    it('writes a page as JSON text exactly as JSON.stringify writes the page list() gives', async () => {
      const queried: HealthListQuery[] = [
        { sort: { key: 'accountId', descending: false }, limit: 1000 },
        { sort: { key: 'churnRisk', descending: true }, limit: 7 },
        { band: 'red', sort: { key: 'renewalDate', descending: true }, limit: 3 },
      ];
      for (const query of queried) {
        const { json, nextCursor } = await projected().queries.listJson(query);
        const page = await projected().queries.list(query);
        expect(json).toBe(JSON.stringify(page));
        expect(nextCursor).toBe(page.nextCursor);
      }
      expect(projected().all.some((view) => view.factors.length > 0)).toBe(true);
    });

    it('writes as JavaScript does the values the database writes otherwise: escapes, exponents, long and tiny numbers, NaN', async () => {
      // Set in a transaction that is rolled back: the other cases keep the projected rows.
      const edges: Record<string, string | null>[] = [
        { name: 'Émile & Söhne \\ "quoted"\n\t\u0001\u001f ☃ 𝄞 1e-5', satisfaction_trend: '0.00001', satisfaction_latest: null, ltv_total: '9007199254740993', position: '1000000000000000', renewal_date: null },
        { satisfaction_trend: '0.0000001', satisfaction_mean90d: '123456789012345678', ltv_realized: '-5', factors: '[{"name":"satisfactionTrend","value":0.0000001,"points":0}]' },
        { satisfaction_latest: 'NaN', satisfaction_trend: '-12.25', satisfaction_mean90d: '1e21', days_since_last_contact: null, ltv_expected: '0' },
      ];
      const rolledBack = new Error('rolled back');
      const query: HealthListQuery = { sort: { key: 'accountId', descending: false }, limit: 1000 };
      const checked = harness.sql().transaction(async (tx) => {
        for (const [index, edge] of edges.entries()) {
          const columns = Object.keys(edge);
          const set = columns.map((column, at) => `${column} = $${at + 2}${column === 'factors' ? '::jsonb' : ''}`).join(', ');
          await tx.query(`UPDATE account_health SET ${set} WHERE account_id = $1`, [projected().all[index]!.accountId, ...Object.values(edge)]);
        }
        const inTx = new HealthQueries(tx, rules);
        const page = await inTx.list(query);
        expect(page.items[0]!.name).toBe(edges[0]!.name);
        expect(page.items[2]!.satisfaction.latest).toBeNaN();
        expect((await inTx.listJson(query)).json).toBe(JSON.stringify(page));
        // A server that prints float8 with fewer digits (a user's setting) changes both the same way.
        await tx.query('SET LOCAL extra_float_digits = 0');
        const fewerDigits = await inTx.list(query);
        expect(fewerDigits.items[0]!.ltv.total).not.toBe(page.items[0]!.ltv.total);
        expect((await inTx.listJson(query)).json).toBe(JSON.stringify(fewerDigits));
        throw rolledBack;
      });
      await expect(checked).rejects.toBe(rolledBack);
      expect((await projected().queries.list(query)).items).toEqual(projected().all);
    });
  });
}
