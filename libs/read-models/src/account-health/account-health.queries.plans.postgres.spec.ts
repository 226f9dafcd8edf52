import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@ahe/database';
import { loadScoringRules } from '../scoring/scoring-rules.loader';
import { HealthQueries } from './account-health.queries';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The reads of several accounts in one statement keep the connection's cached generic plan, as
 * the read of one account does: a statement planned anew at every bind spent half its time in
 * the planner (docs/benchmarks-journal.md, "The batched read's plan"). One connection, so the statements
 * asked and pg_prepared_statements are that connection's.
 */
describe('HealthQueries on PostgreSQL: plans of the batched reads', () => {
  const schema = `health_plans_${randomUUID().slice(0, 8)}`;
  let sql: SqlClient;

  beforeAll(async () => {
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 1 });
    await sql.exec(`CREATE TABLE account_health (account_id text PRIMARY KEY, facts jsonb NOT NULL);
      CREATE TABLE ltv_models (fit_id text);
      INSERT INTO account_health SELECT 'filler-' || n, '{}' FROM generate_series(1, 50000) AS n;
      ANALYZE account_health;`);
  });
  afterAll(async () => {
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  });

  it('reads 3, 4 and 37 accounts asked in one turn with cached generic plans, one statement per arity', async () => {
    const queries = new HealthQueries(sql, loadScoringRules());
    for (let round = 0; round < 10; round++) {
      for (const count of [3, 4, 37]) {
        const asked = Array.from({ length: count }, (_, index) => `nobody-${round}-${index}`);
        expect(await Promise.all(asked.map((accountId) => queries.get(accountId, new Date())))).toEqual(asked.map(() => null));
      }
    }
    const { rows } = await sql.query<{ name: string; generic_plans: number; custom_plans: number }>(
      `SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements WHERE name LIKE 'ahe_health_get%' ORDER BY name`,
    );
    // Five custom plans first, as PostgreSQL plans every statement; then the cached generic one.
    expect(rows).toEqual([
      { name: 'ahe_health_get_4', generic_plans: 15, custom_plans: 5 },
      { name: 'ahe_health_get_64', generic_plans: 5, custom_plans: 5 },
    ]);
  });
});
