import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, type SqlClient, type SqlQueryable } from '@ahe/database';
import { accountHealthProjection } from './account-health.projection';
import { PROJECTION_NOW, projectionHarness, type ProjectionHarness } from './account-health.projection.contract';
import { ltvModelsProjection, readLtvModels } from '../ltv';
import { refitTicks } from '../ltv/ltv-models.projection.contract';
import { loadScoringRules } from '../scoring/scoring-rules.loader';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The refresh's second pass (open rows on another LTV fit) is skipped once a pass brought every
 * row to the current fit: these are the ways rows can still be on another one.
 */
function describeRefitPass(label: string, open: () => Promise<SqlClient>): void {
  describe(`account_health refresh after a refit on ${label}`, () => {
    const harness: ProjectionHarness = projectionHarness(open);
    const ltv = ltvModelsProjection({ refitIntervalMs: 0, clock: () => PROJECTION_NOW });
    const logical = (tx: SqlQueryable) => ({ tx, table: (name: string) => name, now: PROJECTION_NOW });
    const context = (tx: SqlQueryable, prefix: string) => ({ tx, table: (name: string) => `${prefix}${name}`, now: PROJECTION_NOW });
    const setFit = (fitId: string) => harness.sql().query(`UPDATE ltv_models SET fit_id = $1`, [fitId]);
    const fits = async (prefix: string) =>
      (await harness.sql().query<{ status: string; ltv_fit: string | null }>(`SELECT status, ltv_fit FROM ${prefix}account_health ORDER BY account_id`)).rows;
    const openRows = async (prefix: string) => (await fits(prefix)).filter((row) => row.status === 'open').length;
    let fitted: string;

    beforeAll(async () => {
      const sql = harness.sql();
      for (const table of ltv.tables) await sql.exec(table.ddl(table.name));
      await sql.transaction((tx) => ltv.apply(harness.events(), logical(tx)));
      expect(await refitTicks(() => sql.transaction((tx) => ltv.refresh!.run(logical(tx))))).toBeGreaterThan(0);
      fitted = (await readLtvModels(sql))!.fitId;
    });
    afterAll(async () => {
      await harness.store().close();
      await harness.sql().close();
    });

    it('re-scores the open rows on an old fit once, and again for every new fit after that', async () => {
      await setFit(fitted);
      await harness.project('again_', harness.events());
      const open = await openRows('again_');
      expect(open).toBeGreaterThan(0);
      await setFit('fit-2');
      expect(await harness.refresh('again_', PROJECTION_NOW)).toBe(open);
      expect(await harness.refresh('again_', PROJECTION_NOW)).toBe(0);
      await setFit('fit-3');
      expect(await harness.refresh('again_', PROJECTION_NOW)).toBe(open);
      expect((await fits('again_')).map((row) => row.ltv_fit)).toEqual((await fits('again_')).map((row) => (row.status === 'open' ? 'fit-3' : null)));
      expect(await harness.refresh('again_', PROJECTION_NOW)).toBe(0);
    });

    it('walks the rows again in a restarted process, and in a generation of its own', async () => {
      await setFit(fitted);
      await harness.project('restart_', harness.events());
      const open = await openRows('restart_');
      expect(await harness.refresh('restart_', PROJECTION_NOW)).toBe(0);
      // Rows another process left on another fit: this process, settled, no longer walks the
      // rows (the pass it saves); a process started since does.
      await harness.sql().query(`UPDATE restart_account_health SET ltv_fit = 'elsewhere' WHERE status = 'open'`);
      expect(await harness.refresh('restart_', PROJECTION_NOW)).toBe(0);
      const restarted = accountHealthProjection({ rules: loadScoringRules(), refreshIntervalMs: 60_000 });
      expect(await harness.sql().transaction((tx) => restarted.refresh!.run(context(tx, 'restart_')))).toBe(open);
      expect(await harness.sql().transaction((tx) => restarted.refresh!.run(context(tx, 'restart_')))).toBe(0);
      // A generation built meanwhile, its rows on another fit: the first refresh after the swap walks them.
      await harness.project('swapped_', harness.events());
      await harness.sql().query(`UPDATE swapped_account_health SET ltv_fit = 'elsewhere' WHERE status = 'open'`);
      expect(await harness.sql().transaction((tx) => restarted.refresh!.run(context(tx, 'swapped_')))).toBe(open);
    });

    it('re-scores rows a batch scored with another fit, even when the fit is back to the one settled', async () => {
      await setFit(fitted);
      const events = harness.events();
      const head = events.slice(0, Math.floor(events.length / 2));
      await harness.project('batch_', head);
      await harness.refresh('batch_', PROJECTION_NOW);
      expect(await harness.refresh('batch_', PROJECTION_NOW)).toBe(0);
      await setFit('between');
      await harness.apply('batch_', events.slice(head.length));
      const between = (await fits('batch_')).filter((row) => row.ltv_fit === 'between').length;
      expect(between).toBeGreaterThan(0);
      await setFit(fitted);
      expect(await harness.refresh('batch_', PROJECTION_NOW)).toBe(between);
      expect((await fits('batch_')).every((row) => row.ltv_fit === (row.status === 'open' ? fitted : null))).toBe(true);
    });

    it('walks the rows of a table dropped and made again under the same name (replay --verify copies its tables so)', async () => {
      await setFit(fitted);
      await harness.project('remade_', harness.events());
      const open = await openRows('remade_');
      expect(await harness.refresh('remade_', PROJECTION_NOW)).toBe(0);
      await harness.sql().exec(`CREATE TABLE remade_copy AS SELECT * FROM remade_account_health;
        DROP TABLE remade_account_health;
        ALTER TABLE remade_copy RENAME TO remade_account_health;
        UPDATE remade_account_health SET ltv_fit = 'elsewhere' WHERE status = 'open'`);
      expect(await harness.refresh('remade_', PROJECTION_NOW)).toBe(open);
      expect(await harness.refresh('remade_', PROJECTION_NOW)).toBe(0);
    });

    it('walks the rows again when the pass that settled them was rolled back', async () => {
      await setFit(fitted);
      await harness.project('rollback_', harness.events());
      const open = await openRows('rollback_');
      await setFit('rolled-back');
      const rolledBack = new Error('rolled back');
      await expect(
        harness.sql().transaction(async (tx) => {
          expect(await harness.definition.refresh!.run(context(tx, 'rollback_'))).toBe(open);
          throw rolledBack;
        }),
      ).rejects.toBe(rolledBack);
      expect(await harness.refresh('rollback_', PROJECTION_NOW)).toBe(open);
      expect(await harness.refresh('rollback_', PROJECTION_NOW)).toBe(0);
    });
  });
}

const schema = `refit_${randomUUID().slice(0, 8)}`;
describeRefitPass('PostgreSQL', () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 2 }));
describeRefitPass('the embedded database', () => openDatabase({ kind: 'embedded', dataDir: IN_MEMORY }));

afterAll(async () => {
  const sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, poolSize: 1 });
  await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await sql.close();
});
