import { Client } from 'pg';
import { PgPoolClient } from './index';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A transaction's work may send statements without waiting for the one before (account_health
 * writes a batch in parts so): they reach the connection one at a time, in the order sent, and
 * node-postgres never sees a query while another runs (its own queue is deprecated and warns).
 */
describe('PgPoolClient transaction: statements sent without waiting', () => {
  let sql: PgPoolClient;
  /** Calls of the driver's query while its connection was busy: what its deprecated queue would take. */
  let whileBusy = 0;
  let driverCalls = 0;
  beforeAll(async () => {
    sql = new PgPoolClient({ connectionString: TEST_DATABASE_URL, poolSize: 2 });
    await sql.exec('DROP TABLE IF EXISTS pg_pool_in_turn; CREATE TABLE pg_pool_in_turn (n integer PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())');
    const query = Client.prototype.query;
    // The driver's own state (pg 8), read only here: a running query, or queries queued behind it.
    jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client & { _activeQuery?: unknown; _queryQueue?: unknown[] }, ...args: unknown[]) {
      driverCalls++;
      if (this._activeQuery || (this._queryQueue?.length ?? 0) > 0) whileBusy++;
      return (query as (...args: unknown[]) => unknown).apply(this, args);
    } as never);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await sql.exec('DROP TABLE IF EXISTS pg_pool_in_turn');
    await sql.close();
  });

  it('runs them one at a time in the order sent, without the driver queueing them', async () => {
    const [callsBefore, busyBefore] = [driverCalls, whileBusy];
    await sql.transaction(async (tx) => {
      const sent = [3, 1, 2, 5, 4].map((n, index) => tx.query(`INSERT INTO pg_pool_in_turn (n) SELECT $1::int FROM pg_sleep($2::float8)`, [n, index % 2 === 0 ? 0.02 : 0]));
      await Promise.all(sent);
    });
    const { rows } = await sql.query<{ n: number }>('SELECT n FROM pg_pool_in_turn ORDER BY at');
    expect(rows.map((row) => row.n)).toEqual([3, 1, 2, 5, 4]);
    expect(driverCalls - callsBefore).toBeGreaterThanOrEqual(7);
    expect(whileBusy - busyBefore).toBe(0);
  });

  it('hands a statement sent while none is in flight to the driver at once, before the caller goes on', async () => {
    await sql.transaction(async (tx) => {
      const before = driverCalls;
      const first = tx.query('SELECT 1');
      // An import sends a window's statement and validates the next one meanwhile: the statement must already be on its way.
      expect(driverCalls).toBe(before + 1);
      const second = tx.query('SELECT 2');
      expect(driverCalls).toBe(before + 1);
      await Promise.all([first, second]);
      expect(driverCalls).toBe(before + 2);
    });
  });

  it('fails the statements after a failed one and rolls the whole transaction back', async () => {
    const failing = sql.transaction(async (tx) => {
      const sent = [
        tx.query('INSERT INTO pg_pool_in_turn (n) VALUES (10)'),
        tx.query('INSERT INTO pg_pool_in_turn (n) VALUES (10)'),
        tx.query('INSERT INTO pg_pool_in_turn (n) VALUES (11)'),
      ];
      const settled = await Promise.allSettled(sent);
      expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
      expect((settled[1] as PromiseRejectedResult).reason.message).toMatch(/duplicate key/);
      expect((settled[2] as PromiseRejectedResult).reason.message).toMatch(/transaction is aborted/);
      throw (settled[1] as PromiseRejectedResult).reason;
    });
    await expect(failing).rejects.toThrow(/duplicate key/);
    expect((await sql.query('SELECT n FROM pg_pool_in_turn WHERE n >= 10')).rows).toEqual([]);
  });
});
