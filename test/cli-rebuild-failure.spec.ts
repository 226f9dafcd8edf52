import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient, type SqlQueryable } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import { eventStoreOn } from '@ahe/event-store';
import { TEST_DATABASE_URL } from './api/api-harness';
import { caughtUp, startQueriesApi } from './api/queries/queries-harness';
import { buildOnce, runCli, type Exit } from './support/child-processes';
import { eventually } from './support/eventually';

jest.setTimeout(240_000);

const REFUSED = 'a generation being built may not move its checkpoint here (P0001)';

/**
 * The database refuses every checkpoint of a generation being built, as it would a batch's writes
 * that no retry gets past. A constraint on the generation's own table would not do: the events
 * whose writes it refuses are parked, and the batch commits.
 */
async function refuseBuildingCheckpoints(sql: SqlQueryable, schema: string): Promise<void> {
  await sql.query(`
    CREATE FUNCTION ${schema}.refuse_building_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '${REFUSED.replace(' (P0001)', '')}'; END $$`);
  await sql.query(`
    CREATE TRIGGER refuse_building_checkpoint BEFORE UPDATE ON ${schema}.projection_generations FOR EACH ROW
    WHEN (NEW.status = 'building' AND NEW.checkpoint_commit IS DISTINCT FROM OLD.checkpoint_commit)
    EXECUTE FUNCTION ${schema}.refuse_building_checkpoint()`);
}

async function generations(sql: SqlQueryable): Promise<{ serving: number; building: number | null; rows: number }> {
  const { rows } = await sql.query<{ serving: number; building: number | null; rows: number }>(
    `SELECT max(generation) FILTER (WHERE status = 'serving') AS serving, max(generation) FILTER (WHERE status = 'building') AS building,
       (SELECT count(*)::int FROM account_health) AS rows
     FROM projection_generations WHERE name = 'account_health'`,
  );
  return rows[0]!;
}

function expectGivenUp(run: Exit): void {
  expect(run.stderr).toContain(`Rebuild of account_health failed: ${REFUSED}\n`);
  expect(run.stderr).toMatch(/Generation \d+ failed 3 times in a row on the same events; the serving generation keeps serving\./);
  expect([run.code, run.stdout]).toEqual([1, '']);
}

describe('ahe rebuild of a generation whose batches keep failing, on PostgreSQL', () => {
  const schemaOf = (what: string) => `rebuild_${what}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;

  beforeAll(() => buildOnce());

  describe('built by the command itself', () => {
    const schema = schemaOf('fail');
    const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
    let sql: SqlClient;

    beforeAll(async () => {
      sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema });
      const store = await eventStoreOn(sql);
      await seedPortfolio(store, { accounts: 20, years: 1, seed: 8 });
      await store.close();
    });
    afterAll(async () => {
      await sql?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await sql?.close();
    });

    it("logs each failure on stderr, stops with the last one, exits 1 and leaves the serving generation serving", async () => {
      const first = await runCli({ ...env, LOG_LEVEL: 'silent' }, 120_000, 'rebuild', 'account_health');
      expect([first.code, first.stderr]).toEqual([0, '']);
      const before = await generations(sql);
      expect(before).toMatchObject({ building: null, rows: 20 });

      await refuseBuildingCheckpoints(sql, schema);
      const run = await runCli({ ...env, LOG_LEVEL: 'warn' }, 90_000, 'rebuild', 'account_health');
      expect(run.stderr).toContain(`Error: Projection account_health generation ${before.serving + 1} stopped: ${REFUSED}; restarting in 1000 ms\n`);
      expectGivenUp(run);
      expect(await generations(sql)).toEqual({ ...before, building: before.serving + 1 });
    });
  });

  it('gives up on a generation a running projector keeps failing on, which goes on trying', async () => {
    const schema = schemaOf('owned');
    const api = await startQueriesApi('postgres', { DATABASE_SCHEMA: schema });
    try {
      await seedPortfolio(api.store, { accounts: 20, years: 1, seed: 9 });
      await caughtUp(api);
      const sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema });
      try {
        const before = await generations(sql);
        await refuseBuildingCheckpoints(sql, schema);
        const run = await runCli({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema }, 90_000, 'rebuild', 'account_health');
        expectGivenUp(run);
        expect(run.stderr).not.toContain('Error: Projection');
        expect(await generations(sql)).toEqual({ ...before, building: before.serving + 1 });
        // The server's restarts are not the command's to stop.
        const failedAt = async () => (await sql.query<{ at: Date }>(
          `SELECT last_error_at AS at FROM projection_generations WHERE name = 'account_health' AND status = 'building'`)).rows[0]!.at.getTime();
        const givenUpAt = await failedAt();
        await eventually('the projector failing once more', failedAt, (at) => at > givenUpAt, 30_000);
      } finally {
        await sql.close();
      }
    } finally {
      await api.close();
    }
  });
});
