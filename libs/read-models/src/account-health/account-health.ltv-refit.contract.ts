import type { SqlQueryable } from '@ahe/database';
import { ltvModelsProjection, readLtvModels } from '../ltv';
import { refitTicks } from '../ltv/ltv-models.projection-harness.contract';
import { loadScoringRules } from '../scoring/scoring-rules.loader';
import { PORTFOLIO_FROM_HEALTH, PORTFOLIO_ROWS, PROJECTION_NOW, type ProjectionHarness } from './account-health.projection.contract';
import { HealthQueries } from './account-health.queries';

const rules = loadScoringRules();

interface LtvColumns {
  account_id: string;
  status: string;
  ltv_expected: number;
  ltv_model: string;
  ltv_fit: string | null;
}

/**
 * Expected LTV follows the ltv_models projection's fit. Its tables take their logical names,
 * as the engine's views serve them to readLtvModels, and are dropped afterwards so the other
 * specs of the harness see no fit.
 */
export function describeLtvRefit(harness: ProjectionHarness): void {
  describe('expected LTV from the ltv_models fit', () => {
    const ltv = ltvModelsProjection({ refitIntervalMs: 0, clock: () => PROJECTION_NOW });
    const context = (tx: SqlQueryable) => ({ tx, table: (name: string) => name, now: PROJECTION_NOW });
    const ltvColumns = async (prefix: string) =>
      (await harness.sql().query<LtvColumns>(`SELECT account_id, status, ltv_expected::float8 AS ltv_expected, ltv_model, ltv_fit FROM ${prefix}account_health ORDER BY account_id`)).rows;

    beforeAll(async () => {
      for (const table of ltv.tables) await harness.sql().exec(table.ddl(table.name));
    });
    afterAll(async () => {
      for (const table of ltv.tables) await harness.sql().exec(`DROP TABLE ${table.name}`);
    });

    it('re-scores the stored rows through the refresh when a new fit lands, and the portfolio moves with them', async () => {
      const sql = harness.sql();
      await harness.project('fit_', harness.events());
      const before = await ltvColumns('fit_');
      expect(before.every((row) => row.ltv_fit === null && ['contract', 'none'].includes(row.ltv_model))).toBe(true);
      const portfolioBefore = (await sql.query<{ expected_ltv: number }>(PORTFOLIO_ROWS('fit_'))).rows;

      await sql.transaction((tx) => ltv.apply(harness.events(), context(tx)));
      expect(await refitTicks(() => sql.transaction((tx) => ltv.refresh!.run(context(tx)).then((step) => step.changed)))).toBeGreaterThan(0);
      const models = (await readLtvModels(sql))!;
      expect(models.fitId).toEqual(expect.any(String));

      // Nothing is due by the clock: the new fit alone re-scores every open row, once.
      const open = before.filter((row) => row.status === 'open');
      expect(await harness.refresh('fit_', PROJECTION_NOW)).toBe(open.length);
      expect(await harness.refresh('fit_', PROJECTION_NOW)).toBe(0);
      const after = await ltvColumns('fit_');
      expect(after.map((row) => [row.account_id, row.ltv_fit])).toEqual(before.map((row) => [row.account_id, row.status === 'open' ? models.fitId : null]));
      // 40 demo accounts identify sBG fits; BG/NBD only when its fit is off the optimizer's wall.
      const purchaseModels = models.bgnbd !== null && models.gammaGamma !== null ? ['bgnbd-gamma-gamma'] : [];
      expect(after.map((row) => row.ltv_model)).toEqual(expect.arrayContaining(['sbg', ...purchaseModels]));
      // The renewals still to come are worth something on top of the rest of the term.
      after.forEach((row, index) => {
        if (row.ltv_model === 'sbg') expect(row.ltv_expected).toBeGreaterThan(before[index]!.ltv_expected);
      });

      const portfolio = (await sql.query<{ expected_ltv: number }>(PORTFOLIO_ROWS('fit_'))).rows;
      expect(portfolio).toEqual((await sql.query(PORTFOLIO_FROM_HEALTH('fit_'))).rows);
      const total = (rows: readonly { expected_ltv: number }[]) => rows.reduce((sum, row) => sum + row.expected_ltv, 0);
      expect(total(portfolio)).toBeGreaterThan(total(portfolioBefore));

      // The same rows as projecting the log with the fit already there.
      await harness.project('fitted_', harness.events());
      expect((await harness.dump('fitted_'))['account_health']).toEqual((await harness.dump('fit_'))['account_health']);
      expect((await sql.query(PORTFOLIO_ROWS('fitted_'))).rows).toEqual(portfolio);
    });

    it('re-scores one account with the current fit when it is read', async () => {
      const stored = (await ltvColumns('fit_')).find((row) => row.status === 'open' && row.ltv_model === 'sbg')!;
      // HealthQueries reads the logical names; the queries' specs may have projected them already.
      const { rows } = await harness.sql().query<{ exists: boolean }>(`SELECT to_regclass('account_health') IS NOT NULL AS exists`);
      if (!rows[0]!.exists) await harness.project('', harness.events());
      const view = await new HealthQueries(harness.sql(), rules).get(stored.account_id, PROJECTION_NOW);
      expect(view!.ltv).toMatchObject({ expected: stored.ltv_expected, model: 'sbg' });
    });
  });
}
