import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@ahe/database';
import { eventStoreOn, type EventStore } from '@ahe/event-store';
import { describeImporter } from './import-importer.cases';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('NDJSON import on PostgreSQL', () => {
  const schema = `import_${randomUUID().slice(0, 8)}`;
  let sql: SqlClient;
  let store: EventStore;
  beforeAll(async () => {
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 8 });
    store = await eventStoreOn(sql);
  });
  afterAll(async () => {
    await store.close();
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  });

  describeImporter(() => store, { concurrentWriters: true });
});
