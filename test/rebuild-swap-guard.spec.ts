import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient, type SqlQueryable } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import { eventStoreOn } from '@ahe/event-store';
import { TEST_DATABASE_URL } from './api/api-harness';
import { caughtUp, startQueriesApi } from './api/queries/queries-harness';
import { buildOnce, runCli } from './support/child-processes';
import { eventually } from './support/eventually';
import { spoilBuildingGenerations } from './support/spoiled-generations';

jest.setTimeout(240_000);

const ACCOUNTS = 20;

async function accountHealth(sql: SqlQueryable): Promise<{ serving: number; held: string | null; rows: number }> {
  const { rows } = await sql.query<{ serving: number; held: string | null; rows: number }>(
    `SELECT max(generation) FILTER (WHERE status = 'serving') AS serving, max(swap_held) FILTER (WHERE status = 'building') AS held,
       (SELECT count(*)::int FROM account_health) AS rows
     FROM projection_generations WHERE name = 'account_health'`,
  );
  return rows[0]!;
}

describe('ahe rebuild of a generation that parks events the serving one applied, on PostgreSQL', () => {
  const schema = `rebuild_guard_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const env = { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
  let sql: SqlClient;

  beforeAll(async () => {
    buildOnce();
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema });
    const store = await eventStoreOn(sql);
    await seedPortfolio(store, { accounts: ACCOUNTS, years: 1, seed: 11 });
    await store.close();
  });
  afterAll(async () => {
    await sql?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await sql?.close();
  });

  it('exits 1 naming the count and where to look, keeps the serving generation, and swaps after the fix', async () => {
    const first = await runCli({ LOG_LEVEL: 'silent', ...env }, 120_000, 'rebuild', 'account_health');
    expect([first.code, first.stderr]).toEqual([0, '']);
    const before = await accountHealth(sql);
    expect(before).toMatchObject({ held: null, rows: ACCOUNTS });

    const fix = await spoilBuildingGenerations(sql, schema, { held: ['account_health'] });
    const held = await runCli({ LOG_LEVEL: 'silent', ...env }, 120_000, 'rebuild', 'account_health');
    const generation = before.serving + 1;
    const { rows } = await sql.query<{ parked: number }>(
      `SELECT count(*)::int AS parked FROM projection_parked_events WHERE name = 'account_health' AND generation = $1`,
      [generation],
    );
    expect(rows[0]!.parked).toBeGreaterThan(ACCOUNTS);
    expect([held.code, held.stdout]).toEqual([1, '']);
    expect(held.stderr).toContain(
      `Rebuild of account_health held: generation ${generation} parked ${rows[0]!.parked} events that generation ${before.serving} did not park: not swapped in; ` +
        'the serving generation keeps serving.\n',
    );
    expect(held.stderr).toContain(`FROM "${schema}".projection_parked_events WHERE name = 'account_health' AND generation = ${generation} ORDER BY global_position;`);
    expect(held.stderr).toContain(`Fix their cause and run the rebuild again: it replaces generation ${generation}.\n`);
    expect(await accountHealth(sql)).toEqual({ ...before, held: expect.stringContaining(`generation ${generation} parked`) });

    await fix();
    const fixed = await runCli({ LOG_LEVEL: 'silent', ...env }, 120_000, 'rebuild', 'account_health');
    expect([fixed.code, fixed.stderr]).toEqual([0, '']);
    expect(await accountHealth(sql)).toEqual({ serving: generation + 1, held: null, rows: ACCOUNTS });
  });
});

/** What the spec reads of an item of GET /v1/projections. */
interface AdminStatus {
  readonly name: string;
  readonly generation: number;
  readonly rebuild: { readonly status: string; readonly held: string | null; readonly parked: { readonly count: number; readonly events: readonly unknown[] } } | null;
}

describe('POST /v1/projections/account_health/rebuild of a generation that parks events the serving one applied, on PostgreSQL', () => {
  it('shows it held in GET /v1/projections with the reason and its parked events, and a new request after the fix replaces it', async () => {
    const schema = `rebuild_guard_api_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const api = await startQueriesApi('postgres', { DATABASE_SCHEMA: schema });
    const sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema });
    const status = async () => ((await api.http().get('/v1/projections').expect(200)).body.items as AdminStatus[]).find((item) => item.name === 'account_health')!;
    try {
      await seedPortfolio(api.store, { accounts: ACCOUNTS, years: 1, seed: 12 });
      await caughtUp(api);
      const before = await status();
      const fix = await spoilBuildingGenerations(sql, schema, { held: ['account_health'] });
      await api.http().post('/v1/projections/account_health/rebuild').expect(202);
      const held = await eventually('the new generation held', status, (item) => item.rebuild?.status === 'held', 60_000);
      expect(held).toMatchObject({ generation: before.generation, status: 'live', parked: { count: 0 } });
      const { rebuild } = held;
      expect(rebuild!.held).toBe(`generation ${before.generation + 1} parked ${rebuild!.parked.count} events that generation ${before.generation} did not park: not swapped in`);
      expect(rebuild!.parked.count).toBeGreaterThan(ACCOUNTS);
      // The latest 20; the first refused writes were AccountOpened, so later ones fail for want of them.
      expect(rebuild!.parked.events).toHaveLength(20);
      const { rows: refused } = await sql.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM projection_parked_events WHERE name = 'account_health' AND generation = $1 AND error LIKE '%refuse_every_row%'`,
        [before.generation + 1],
      );
      expect(refused[0]!.count).toBeGreaterThanOrEqual(ACCOUNTS);
      expect((await accountHealth(sql)).rows).toBe(ACCOUNTS);

      await fix();
      await api.http().post('/v1/projections/account_health/rebuild').expect(202);
      const swapped = await eventually('a new generation swapped in', status, (item) => item.rebuild === null, 60_000);
      expect(swapped).toMatchObject({ generation: before.generation + 2, parked: { count: 0 } });
      expect((await accountHealth(sql)).rows).toBe(ACCOUNTS);
    } finally {
      await sql.close();
      await api.close();
    }
  });
});
