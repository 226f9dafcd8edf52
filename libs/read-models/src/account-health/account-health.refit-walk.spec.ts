import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, type SqlClient, type SqlQueryable } from '@ahe/database';
import type { EventEnvelope } from '@ahe/event-store';
import { refreshToEnd } from '@ahe/projections';
import { accountHealthProjection } from './account-health.projection';
import { PROJECTION_NOW, projectionHarness, type ProjectionHarness } from './account-health.projection.contract';
import { ltvModelsProjection, readLtvModels } from '../ltv';
import { refitTicks } from '../ltv/ltv-models.projection-harness.contract';
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
      expect(await refitTicks(() => sql.transaction((tx) => ltv.refresh!.run(logical(tx)).then((step) => step.changed)))).toBeGreaterThan(0);
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
      const refreshRestarted = (prefix: string) => refreshToEnd((cursor) => harness.sql().transaction((tx) => restarted.refresh!.run(context(tx, prefix), cursor)));
      expect(await refreshRestarted('restart_')).toBe(open);
      expect(await refreshRestarted('restart_')).toBe(0);
      // A generation built meanwhile, its rows on another fit: the first refresh after the swap walks them.
      await harness.project('swapped_', harness.events());
      await harness.sql().query(`UPDATE swapped_account_health SET ltv_fit = 'elsewhere' WHERE status = 'open'`);
      expect(await refreshRestarted('swapped_')).toBe(open);
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

    it('walks in steps of a bounded size, and again from the start when a batch scores rows with another fit behind it', async () => {
      await setFit(fitted);
      // Every account's first half of its events, then the rest: the second batch touches every account.
      const events = harness.events();
      const lengths = new Map<string, number>();
      for (const event of events) lengths.set(event.streamId, (lengths.get(event.streamId) ?? 0) + 1);
      const early = (event: EventEnvelope) => event.revision < Math.floor(lengths.get(event.streamId)! / 2);
      const head = events.filter(early);
      const rest = events.filter((event) => !early(event));
      const chunked = accountHealthProjection({ rules: loadScoringRules(), refreshIntervalMs: 60_000, refreshChunk: 3 });
      const step = (cursor: unknown) => harness.sql().transaction((tx) => chunked.refresh!.run(context(tx, 'chunked_'), cursor));
      const applyRest = () => harness.sql().transaction((tx) => chunked.apply(rest, context(tx, 'chunked_')));
      await harness.project('chunked_', head);
      const open = await openRows('chunked_');
      expect(open).toBeGreaterThan(9);
      await setFit('walked');
      // Part of the way: the due rows, then the walk until it is past half the accounts the next batch touches.
      const touched = [...new Set(rest.map((event) => event.streamId.replace(/^account-/, '')))].sort();
      const walkedPast = (cursor: unknown) => ((cursor as { after?: string } | undefined)?.after ?? '') >= touched[Math.floor(touched.length / 2)]!;
      let cursor: unknown;
      const changed: number[] = [];
      do {
        const result = await step(cursor);
        changed.push(result.changed);
        cursor = result.next;
      } while (cursor !== undefined && !walkedPast(cursor));
      expect(walkedPast(cursor)).toBe(true);
      expect(changed.filter((rows) => rows > 0).length).toBeGreaterThan(1);
      expect(changed.every((rows) => rows <= 3)).toBe(true);
      // A batch between two steps scores the accounts it touches with another fit, some of them behind the walk.
      await setFit('between');
      await applyRest();
      expect((await fits('chunked_')).some((row) => row.ltv_fit === 'between')).toBe(true);
      await setFit('walked');
      do {
        const result = await step(cursor);
        expect(result.changed).toBeLessThanOrEqual(3);
        cursor = result.next;
      } while (cursor !== undefined);
      expect((await fits('chunked_')).every((row) => row.ltv_fit === (row.status === 'open' ? 'walked' : null))).toBe(true);
      expect(await refreshToEnd(step)).toBe(0);
    });

    it('walks the rows again when the pass that settled them was rolled back', async () => {
      await setFit(fitted);
      await harness.project('rollback_', harness.events());
      const open = await openRows('rollback_');
      await setFit('rolled-back');
      const rolledBack = new Error('rolled back');
      await expect(
        harness.sql().transaction(async (tx) => {
          expect(await refreshToEnd((cursor) => harness.definition.refresh!.run(context(tx, 'rollback_'), cursor))).toBe(open);
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
