import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, PgliteClient, type SqlClient } from '@ahe/database';
import type { EventEnvelope, NewEvent } from '../event-store.port';
import { SqlEventStore } from './sql-event-store';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const metadata = { correlationId: 'import-1', actor: 'test' };
export const note = (n: number, occurredAt = '2026-01-01T00:00:00.000Z', eventId?: string): NewEvent => ({
  ...(eventId ? { eventId } : {}), type: 'NoteAdded', schemaVersion: 1, occurredAt, data: { n, text: `note ${n}` }, metadata,
});
export const notes = (count: number, from = 0) => Array.from({ length: count }, (_, n) => note(from + n));
/** What the log keeps of an event but its position, which differs between two stores. */
export const stored = ({ globalPosition: _position, ...event }: EventEnvelope) => event;

interface ImportBackend {
  open(): Promise<SqlClient>;
  close(sql: SqlClient): Promise<void>;
  /** Another transaction runs while an import's is open (not on the embedded store's one connection). */
  readonly concurrent: boolean;
}

/** Both SQL backends, each opened in a database of its own per client. */
export const backends: [string, ImportBackend][] = [
  ['PostgreSQL', {
    open: async () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema: `import_tx_${randomUUID().slice(0, 8)}`, poolSize: 3 }),
    close: async (sql) => {
      const { rows } = await sql.query<{ schema: string }>('SELECT current_schema() AS schema');
      await sql.query(`DROP SCHEMA ${rows[0]!.schema} CASCADE`);
      await sql.close();
    },
    concurrent: true,
  }],
  ['the embedded PGlite', { open: () => PgliteClient.open(IN_MEMORY), close: (sql) => sql.close(), concurrent: false }],
];

/**
 * One backend for a describe block of import specs, opened before its tests and closed after
 * them: `store` on one database, its clock stopped at `at`, and with `withReference` a
 * database of its own in `reference`, for a second store to compare with.
 */
export function importHarness(backend: ImportBackend, { withReference = false } = {}) {
  let sql: SqlClient;
  let reference: SqlClient | undefined;
  let store: SqlEventStore;
  const at = new Date('2026-03-01T12:00:00.000Z');
  beforeAll(async () => {
    [sql, reference] = [await backend.open(), withReference ? await backend.open() : undefined];
    store = await SqlEventStore.open(sql, { clock: () => at });
  });
  afterAll(async () => {
    await backend.close(sql);
    if (reference) await backend.close(reference);
  });
  return {
    get store(): SqlEventStore {
      return store;
    },
    get reference(): SqlClient {
      if (!reference) throw new Error('importHarness: no reference database without withReference');
      return reference;
    },
    at,
    unique: (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`,
  };
}
