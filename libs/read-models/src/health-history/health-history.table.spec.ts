import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@ahe/database';
import { arrayLiteral } from '../batch-sql';
import { healthHistoryColumns, healthHistoryTable, insertHealthHistorySql, type HealthHistoryRow } from './health-history.table';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const row = (day: string, churnRisk: number, satisfaction: number | null): HealthHistoryRow => ({
  account_id: 'acc-"quoted"\\1',
  day,
  churn_risk: churnRisk,
  band: 'amber',
  satisfaction_latest: satisfaction,
  satisfaction_mean90d: satisfaction === null ? null : satisfaction / 3,
  ltv_realized: 1_250_000,
  ltv_expected: 0,
  ltv_total: 1_250_000,
  position: 42,
});

describe('health_history writes', () => {
  const schema = `history_${randomUUID().slice(0, 8)}`;
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 1 });
    await sql.exec(healthHistoryTable.ddl('history'));
  });
  afterAll(async () => {
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  });

  it('builds array literals PostgreSQL reads back as the values, whatever the strings hold', async () => {
    const strings = ['plain', 'with "quotes"', 'back\\slash', 'a,b {c}', 'NULL', ''];
    const { rows } = await sql.query<{ strings: string[]; numbers: string[] }>('SELECT $1::text[] AS strings, $2::numeric[]::text[] AS numbers', [
      arrayLiteral([...strings, null]),
      arrayLiteral([0, -3, 2.5, 1 / 3, null]),
    ]);
    expect(rows[0]!.strings).toEqual([...strings, null]);
    expect(rows[0]!.numbers).toEqual(['0', '-3', '2.5', String(1 / 3), null]);
  });

  it('inserts rows plainly, and replaces a day only with the replacing statement', async () => {
    await sql.query(insertHealthHistorySql('history', false), healthHistoryColumns([row('2026-01-01', 10, 7.5), row('2026-01-02', 20, null)]));
    await expect(sql.query(insertHealthHistorySql('history', false), healthHistoryColumns([row('2026-01-02', 30, 8)]))).rejects.toThrow(/duplicate key/);
    await sql.query(insertHealthHistorySql('history', true), healthHistoryColumns([row('2026-01-02', 30, 8)]));
    const { rows } = await sql.query(`SELECT day::text, churn_risk, satisfaction_latest::float8 AS latest FROM history ORDER BY day`);
    expect(rows).toEqual([
      { day: '2026-01-01', churn_risk: 10, latest: 7.5 },
      { day: '2026-01-02', churn_risk: 30, latest: 8 },
    ]);
  });
});
