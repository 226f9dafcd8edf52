import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@ahe/database';
import { describeEventStoreContract } from '../../contract/index.contract';
import { sqlHarness } from './sql-harness.contract';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('SqlEventStore on PostgreSQL', () => {
  const schema = `contract_${randomUUID().slice(0, 8)}`;
  let sql: SqlClient;
  // Another process's view: a second pool on the same database and schema.
  const harness = sqlHarness(() => sql, {
    elsewhere: () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 }),
  });
  beforeAll(async () => {
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 12 });
  });
  afterAll(async () => {
    await harness.dispose();
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  });

  describeEventStoreContract('PostgreSQL (pg pool)', { ...harness, concurrentCommits: true });
});
