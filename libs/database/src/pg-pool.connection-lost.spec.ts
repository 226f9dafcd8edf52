import { ConnectionLostError, PgPoolClient } from './index';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A connection the server ends while a transaction holds it must fail that transaction with a
 * ConnectionLostError (a connection failure, 08006, which the projection engine retries), be
 * reported to onError, and never reach an 'error' event without a listener: that would crash
 * the process, and jest with it.
 */
describe('PgPoolClient when the server ends a checked-out connection', () => {
  const reported: Error[] = [];
  let sql: PgPoolClient;
  beforeAll(() => {
    sql = new PgPoolClient({ connectionString: TEST_DATABASE_URL, poolSize: 2, onError: (error) => reported.push(error) });
  });
  afterAll(() => sql.close());
  beforeEach(() => void reported.splice(0));

  /** Waits until the backend `pid` is gone, so the client has had the server's goodbye. */
  const gone = async (pid: number) => {
    for (let tries = 0; tries < 500; tries++) {
      const { rows } = await sql.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
      if (rows.length === 0) return sleep(50);
      await sleep(10);
    }
    throw new Error(`backend ${pid} still alive`);
  };

  it('fails the transaction whose idle connection pg_terminate_backend ended, and the next one works', async () => {
    const failed = sql.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]!.pid;
      // Idle inside the transaction, as during a long CPU-bound step, while another session ends it.
      await sql.query('SELECT pg_terminate_backend($1)', [pid]);
      await gone(pid);
      await tx.query('SELECT 1');
    });
    const error = await failed.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(error).toMatchObject({ code: '08006', cause: { code: '57P01' } });
    expect((error as Error).message).toMatch(/lost during a transaction.*terminating connection due to administrator command \(57P01\)/);
    expect(reported.map((reported) => (reported as { code?: string }).code)).toEqual(['57P01']);
    expect(await sql.transaction(async (tx) => (await tx.query<{ one: number }>('SELECT 1 AS one')).rows)).toEqual([{ one: 1 }]);
  });

  it('fails the transaction the idle-in-transaction timeout ended (25P03), and nothing of it is committed', async () => {
    const table = `lost_writes_${process.pid}`;
    await sql.exec(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (n int)`);
    try {
      const error = await sql
        .transaction(async (tx) => {
          await tx.query(`INSERT INTO ${table} VALUES (1)`);
          await tx.query(`SET LOCAL idle_in_transaction_session_timeout = '50ms'`);
          const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await gone(rows[0]!.pid);
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect(error).toMatchObject({ cause: { code: '25P03' } });
      expect((error as Error).message).toContain('idle-in-transaction timeout');
      expect((await sql.query(`SELECT n FROM ${table}`)).rows).toEqual([]);
      await sql.transaction((tx) => tx.query(`INSERT INTO ${table} VALUES (2)`));
      expect((await sql.query(`SELECT n FROM ${table}`)).rows).toEqual([{ n: 2 }]);
    } finally {
      await sql.exec(`DROP TABLE IF EXISTS ${table}`);
    }
  });

  it('fails the transaction whose connection is ended during a query, and the pool serves the next one', async () => {
    const error = await sql
      .transaction(async (tx) => {
        await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: expect.stringMatching(/^(57P01|08006)$/) });
    await sleep(50);
    const pids = await Promise.all([0, 1].map(() => sql.transaction(async (tx) => (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid)));
    expect(pids.every((pid) => pid > 0)).toBe(true);
  });
});
