import { PgPoolClient } from './index';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * What was asked for before close() is answered; what is asked for after it is refused at once.
 * pg-pool alone never answers a query asked for in the same turn as its end() while it has an
 * idle connection: the caller waited forever (a shutdown's last requests).
 */
describe('PgPoolClient.close with statements asked for just before it', () => {
  it('answers a query, a script and a transaction asked for in the same turn as close(), then refuses new ones', async () => {
    const sql = new PgPoolClient({ connectionString: TEST_DATABASE_URL, poolSize: 4 });
    // Idle connections in the pool, as in a running process.
    await Promise.all([sql.query('SELECT 1'), sql.query('SELECT 1')]);
    const query = sql.query<{ two: number }>('SELECT 2 AS two');
    const script = sql.exec('SELECT 3');
    const transaction = sql.transaction(async (tx) => (await tx.query<{ four: number }>('SELECT 4 AS four')).rows);
    await sql.close();
    expect(await Promise.all([query, script, transaction])).toEqual([{ rows: [{ two: 2 }] }, undefined, [{ four: 4 }]]);
    await expect(sql.query('SELECT 5')).rejects.toThrow('the PostgreSQL client is closed: close() was called before this statement');
    await expect(sql.transaction(async () => undefined)).rejects.toThrow('the PostgreSQL client is closed');
    await sql.close();
  });
});
