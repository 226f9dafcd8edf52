import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, PgliteClient, type SqlClient, type SqlQueryable } from '@ahe/database';
import { START, type Checkpoint, type EventEnvelope, type NewEvent } from '../event-store.port';
import { SqlEventStore, type SqlEventStoreOptions } from './sql-event-store';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const contact = (n: number, data: object = {}): NewEvent => ({
  type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z',
  data: { channel: 'call', summary: `review ${n}`, ...data }, metadata: { actor: 'test', correlationId: `c-${n}` },
});

export type CountingClient = SqlClient & { count(text: string): number; reset(): void };

/** The same database, counting the statements sent through it by their text. */
function counting(sql: SqlClient): CountingClient {
  let sent: string[] = [];
  const counted = (target: SqlQueryable): SqlQueryable => ({
    query: (text, params, name) => (sent.push(text), target.query(text, params, name)),
    exec: (script) => target.exec(script),
  });
  return Object.assign(Object.create(sql) as SqlClient, {
    ...counted(sql),
    transaction: <T>(work: (tx: SqlQueryable) => Promise<T>) => sql.transaction((tx) => work(counted(tx))),
    count: (text: string) => sent.filter((statement) => statement === text).length,
    reset: () => void (sent = []),
  });
}

export const compare = (a: Checkpoint, b: Checkpoint) => (a.commit === b.commit ? Number(a.prepare - b.prepare) : a.commit < b.commit ? -1 : 1);

type Database = { sql: SqlClient; drop(): Promise<void> };

/** Both SQL backends, each in a database of its own for one describe block. */
export const databases: [string, () => Promise<Database>][] = [
  ['PostgreSQL', async () => {
    const schema = `gc_group_${randomUUID().slice(0, 8)}`;
    const sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 8 });
    return { sql, drop: async () => void (await sql.query(`DROP SCHEMA ${schema} CASCADE`)) };
  }],
  ['PGlite', async () => ({ sql: await PgliteClient.open(IN_MEMORY), drop: async () => undefined })],
];

/**
 * One backend for a describe block of group-commit specs, opened before its tests and dropped
 * after them: `sql` counts the statements the stores send, `database` is the same client
 * uncounted (another writer's).
 */
export function groupCommitHarness(open: () => Promise<Database>) {
  let database: Database;
  let sql: CountingClient;
  beforeAll(async () => {
    database = await open();
    sql = counting(database.sql);
  });
  afterAll(async () => {
    await database.drop();
    await database.sql.close();
  });
  return {
    get sql(): CountingClient {
      return sql;
    },
    get database(): SqlClient {
      return database.sql;
    },
    /** A store whose head cache knows `count` streams of one event each; the count starts after them. */
    async storeWithStreams(count: number, options: SqlEventStoreOptions = {}): Promise<{ store: SqlEventStore; streams: string[] }> {
      const store = await SqlEventStore.open(sql, { groupSlots: 1, ...options });
      const streams = Array.from({ length: count }, (_, n) => `gc-${String(n).padStart(2, '0')}-${randomUUID().slice(0, 8)}`);
      for (const stream of streams) await store.append(stream, [contact(0)], 'no_stream');
      sql.reset();
      return { store, streams };
    },
  };
}

/**
 * The events `mine` picks after `after`, page by page, and every page's checkpoint; waits out
 * rows an open transaction elsewhere on the server still hides (ADR 0002), so that the log's
 * end seen before may be short of rows written earlier, which `mine` leaves out.
 */
export async function logAfter(store: SqlEventStore, after: Checkpoint, mine: (event: EventEnvelope) => boolean, expected: number) {
  const events: EventEnvelope[] = [];
  const checkpoints: Checkpoint[] = [];
  for (const deadline = Date.now() + 10_000; events.length < expected && Date.now() < deadline; ) {
    const page = await store.readAll({ after, limit: 7 });
    if (page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    else checkpoints.push(page.checkpoint);
    events.push(...page.events.filter(mine));
    after = page.checkpoint;
  }
  return { events, checkpoints };
}

export async function endOf(store: SqlEventStore): Promise<Checkpoint> {
  let after = START;
  for (let page = await store.readAll({ after, limit: 10_000 }); page.events.length; page = await store.readAll({ after, limit: 10_000 })) {
    after = page.checkpoint;
  }
  return after;
}
