import { PgPoolClient } from './index';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Connections are replaced once old (CONNECTION_LIFETIME_S in connection-lifetime.ts), so a named
 * statement's generic plan, kept by PostgreSQL for the connection's life, is made again for the
 * tables as they have grown. Here with a lifetime of one second.
 */
describe('PgPoolClient connection lifetime', () => {
  let sql: PgPoolClient;
  beforeAll(() => {
    sql = new PgPoolClient({ connectionString: TEST_DATABASE_URL, poolSize: 1, connectionLifetimeSeconds: 1 });
  });
  afterAll(() => sql.close());

  const backend = async () => (await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', [], 'ahe_lifetime_spec_pid')).rows[0]!.pid;

  it('keeps a connection while young, replaces it once its lifetime is over, and prepares named statements again on the new one', async () => {
    const first = await backend();
    expect(await backend()).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const second = await backend();
    expect(second).not.toBe(first);
    expect(await backend()).toBe(second);
    const { rows } = await sql.query<{ gone: boolean }>('SELECT count(*) = 0 AS gone FROM pg_stat_activity WHERE pid = $1', [first]);
    expect(rows).toEqual([{ gone: true }]);
  });

  it('does not end a connection in the middle of a transaction', async () => {
    const pids = await sql.transaction(async (tx) => {
      const before = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await tx.query('SELECT pg_sleep(1.3)');
      const after = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      return { before, after };
    });
    expect(pids.after).toBe(pids.before);
    expect(await backend()).not.toBe(pids.before);
  });
});

/**
 * A pool keeps the connections it opened while they are idle (pg-pool closed them after 10 s),
 * so a burst after a quiet spell does not wait for new connections and their first plans.
 */
describe('PgPoolClient idle connections', () => {
  let sql: PgPoolClient;
  beforeAll(() => {
    sql = new PgPoolClient({ connectionString: TEST_DATABASE_URL, poolSize: 3 });
  });
  afterAll(() => sql.close());

  it('keeps every connection it grew to through 11 s of idleness', async () => {
    const pids = await Promise.all(Array.from({ length: 3 }, async () =>
      (await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.3)')).rows[0]!.pid));
    expect(new Set(pids).size).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const { rows } = await sql.query<{ alive: number }>('SELECT count(*)::int AS alive FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
    expect(rows).toEqual([{ alive: 3 }]);
  }, 20_000);
});
