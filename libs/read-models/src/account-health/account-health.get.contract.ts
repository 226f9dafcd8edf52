import type { SqlQueryable } from '@ahe/database';
import { ltvModelsProjection, readLtvModels } from '../ltv';
import { refitTicks } from '../ltv/ltv-models.projection-harness.contract';
import type { AccountHealthView } from '../query.types';
import { loadScoringRules } from '../scoring/scoring-rules.loader';
import { PROJECTION_NOW, type ProjectionHarness } from './account-health.projection.contract';
import { factsOfStored, type StoredHealthFacts } from './account-health.facts';
import { HealthQueries } from './account-health.queries';
import { scoreAccountHealth } from './account-health.score';
import { viewOfScore } from './account-health.view';

const rules = loadScoringRules();

/**
 * get() on the rows account-health.queries.contract.ts projected: how many statements a read of one
 * account costs with and without an LTV fit, and accounts asked in the same turn read together.
 */
export function describeHealthGets(harness: ProjectionHarness, projected: () => { readonly all: readonly AccountHealthView[] }): void {
  describe('get(): the statements a read of accounts takes', () => {
    it('reads one account in one round trip while the LTV fit is unchanged, and the fit again when it changes', async () => {
      const { all } = projected();
      const sql = harness.sql();
      const ltv = ltvModelsProjection({ refitIntervalMs: 0, clock: () => PROJECTION_NOW });
      const context = (tx: SqlQueryable) => ({ tx, table: (name: string) => name, now: PROJECTION_NOW });
      const statements: string[] = [];
      const counting: SqlQueryable = { query: (text, params, name) => (statements.push(text), sql.query(text, params, name)), exec: (script) => sql.exec(script) };
      const queries = new HealthQueries(counting, rules);
      const open = all.find((view) => view.status === 'open' && view.daysSinceLastContact !== null)!;
      const scoredWith = async () => {
        const { rows } = await sql.query<{ facts: StoredHealthFacts }>('SELECT facts FROM account_health WHERE account_id = $1', [open.accountId]);
        return viewOfScore(scoreAccountHealth(factsOfStored(rows[0]!.facts), rules, PROJECTION_NOW, await readLtvModels(sql)));
      };
      const counted = async () => {
        statements.length = 0;
        const view = await queries.get(open.accountId, PROJECTION_NOW);
        return { view, statements: statements.length };
      };

      // No ltv_models view yet (its projection has not run): scored without a fit.
      expect(await counted()).toEqual({ view: open, statements: 2 });
      for (const table of ltv.tables) await sql.exec(table.ddl(table.name));
      try {
        await sql.transaction((tx) => ltv.apply(harness.events(), context(tx)));
        expect(await refitTicks(() => sql.transaction((tx) => ltv.refresh!.run(context(tx)).then((step) => step.changed)))).toBeGreaterThan(0);
        const fitted = await scoredWith();
        expect(await counted()).toEqual({ view: fitted, statements: 3 });
        expect(await counted()).toEqual({ view: fitted, statements: 1 });
        expect(await queries.get('nobody', PROJECTION_NOW)).toBeNull();

        // Accounts asked in the same turn: one statement for all, each answered with its own row.
        const asked = [open.accountId, 'nobody', ...all.slice(0, 6).map((view) => view.accountId), open.accountId];
        const alone: (AccountHealthView | null)[] = [];
        for (const accountId of asked) alone.push(await queries.get(accountId, PROJECTION_NOW));
        statements.length = 0;
        const together = await Promise.all(asked.map((accountId) => queries.get(accountId, PROJECTION_NOW)));
        expect({ together, statements: statements.length }).toEqual({ together: alone, statements: 1 });
        expect(together[0]).toEqual(fitted);
        expect(together[1]).toBeNull();

        // Another fit (here: the same figures under another id) is read once, then kept.
        await sql.query(`UPDATE ltv_models SET fit_id = 'another fit'`);
        expect((await readLtvModels(sql))!.fitId).toBe('another fit');
        expect(await counted()).toEqual({ view: fitted, statements: 3 });
        expect(await counted()).toEqual({ view: fitted, statements: 1 });
        await sql.query('DELETE FROM ltv_models');
        expect(await counted()).toEqual({ view: open, statements: 1 });
      } finally {
        for (const table of ltv.tables) await sql.exec(`DROP TABLE ${table.name}`);
      }
    });

    it('reads the accounts asked in the same turn in one statement, without a fit while ltv_models has no view', async () => {
      const { all } = projected();
      const sql = harness.sql();
      const statements: string[] = [];
      const counting: SqlQueryable = { query: (text, params, name) => (statements.push(text), sql.query(text, params, name)), exec: (script) => sql.exec(script) };
      const queries = new HealthQueries(counting, rules);
      const asked = ['nobody', ...all.map((view) => view.accountId).reverse(), 'nobody either'];
      const together = await Promise.all(asked.map((accountId) => queries.get(accountId, PROJECTION_NOW)));
      // The stored rows, scored at the projection's instant without a fit, in the order asked.
      expect(together).toEqual([null, ...[...all].reverse(), null]);
      // The statement for all of them, refused for the missing ltv_models view, then without the fit.
      expect(statements).toHaveLength(2);
      // In a fixed number of parameters, the next arity up (padded), which gets a cached generic plan.
      const arity = [2, 4, 8, 16, 32, 64, 100].find((n) => n >= asked.length)!;
      expect(statements.map((text) => text.match(/IN \(([^)]*)\)/)?.[1])).toEqual(Array(2).fill(Array.from({ length: arity }, (_, index) => `$${index + 1}`).join(', ')));
      // More accounts than one statement takes (100): as many statements as it takes.
      statements.length = 0;
      const many = Array.from({ length: 250 }, (_, index) => all[index % all.length]!.accountId);
      const views = await Promise.all(many.map((accountId) => queries.get(accountId, PROJECTION_NOW)));
      expect(views.map((view) => view!.accountId)).toEqual(many);
      // 100, 100 and 50 (in 64 parameters), each refused and asked again; on a pool, in any order.
      expect(statements.map((text) => text.match(/\$\d+(?=\))/)?.[0]).sort()).toEqual(['$100', '$100', '$100', '$100', '$64', '$64']);
    });
  });
}
