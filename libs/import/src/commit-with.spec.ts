import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, type SqlClient } from '@ahe/database';
import { eventStoreOn, type EventStore } from '@ahe/event-store';
import { importNdjson } from './event-importer';
import { InvalidImportLineError } from './import.errors';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const opened = (accountId: string) => JSON.stringify({
  accountId, type: 'AccountOpened', occurredAt: '2025-01-01T10:00:00Z',
  data: { name: 'Acme', segment: 'smb', managerId: 'mgr-1', currency: 'EUR', contract: { startsOn: '2025-01-01', endsOn: '2025-12-31', annualValue: 1_200_000 } },
});

const schema = `commit_with_${randomUUID().slice(0, 8)}`;

describe.each([
  ['PostgreSQL', () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema })],
  ['the embedded store', () => openDatabase({ kind: 'embedded', dataDir: IN_MEMORY })],
])('importNdjson commitWith: a statement that commits with the import (%s)', (name, open) => {
  let sql: SqlClient;
  let store: EventStore;
  const recorded = async () => (await sql.query<{ import_id: string; events: number }>('SELECT import_id, events FROM imports_recorded ORDER BY import_id')).rows;
  const recordImport = (result: { importId: string; events: number }) => ({ text: 'INSERT INTO imports_recorded VALUES ($1, $2)', params: [result.importId, result.events] });

  beforeAll(async () => {
    sql = await open();
    store = await eventStoreOn(sql);
    await sql.exec('CREATE TABLE imports_recorded (import_id text PRIMARY KEY, events int NOT NULL)');
  });
  afterAll(async () => {
    await store.close();
    if (name === 'PostgreSQL') await sql.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await sql.close();
  });

  it('runs the statement in the import transaction, with the result it answers', async () => {
    const result = await importNdjson(store, [opened('cw-a'), opened('cw-b')], { importId: 'import-1', commitWith: recordImport });
    expect(result).toMatchObject({ importId: 'import-1', events: 2, accounts: 2 });
    expect(await recorded()).toEqual([{ import_id: 'import-1', events: 2 }]);
  });

  it('runs no statement for an import refused, and stores nothing of it', async () => {
    const refused = importNdjson(store, [opened('cw-c'), '{"not":"an event"}'], { importId: 'import-2', commitWith: recordImport });
    await expect(refused).rejects.toBeInstanceOf(InvalidImportLineError);
    expect(await recorded()).toEqual([{ import_id: 'import-1', events: 2 }]);
    expect(await store.streamRevision('account-cw-c')).toBe(-1);
  });

  it('refuses the whole import when the statement fails: nothing of it is stored', async () => {
    // The same import id again breaks the table's primary key.
    await expect(importNdjson(store, [opened('cw-d')], { importId: 'import-1', commitWith: recordImport })).rejects.toThrow(/duplicate key|unique/i);
    expect(await store.streamRevision('account-cw-d')).toBe(-1);
  });
});
