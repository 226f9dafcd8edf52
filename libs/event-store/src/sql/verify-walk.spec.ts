import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, PgliteClient, type SqlClient } from '@ahe/database';
import { events, streamName } from '../../contract/harness.contract';
import type { VerifyResult } from '../event-store.port';
import { SqlEventStore } from './sql-event-store';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Tampering = (sql: SqlClient, stream: string) => Promise<unknown>;

/** A statement run behind the store's back, on the stream as $1. */
const tampered = (text: string): Tampering => (sql, stream) => sql.query(text, [stream]);

/**
 * What verification answers for each way of changing a five-event stream behind the store's
 * back: the answer a walk of the whole stream in one read-only snapshot gives, though it reads
 * page by page, up to the head it read first.
 */
const CASES: readonly [string, Tampering, VerifyResult][] = [
  ['an intact stream', async () => undefined, { ok: true, checked: 5 }],
  ['a head moved back', tampered('UPDATE event_streams SET revision = 2 WHERE stream_id = $1'),
    { ok: false, checked: 5, brokenAt: 3, reason: 'the log goes on past the stream head (revision 2)' }],
  ['a head moved forward', tampered('UPDATE event_streams SET revision = 7 WHERE stream_id = $1'),
    { ok: false, checked: 5, brokenAt: 5, reason: 'the stream head is at revision 7 but the log ends at 4' }],
  ['a head whose hash was changed', tampered(`UPDATE event_streams SET last_hash = repeat('a', 64) WHERE stream_id = $1`),
    { ok: false, checked: 5, brokenAt: 4, reason: 'the stream head hash does not match the last event' }],
  ['a missing head', tampered('DELETE FROM event_streams WHERE stream_id = $1'),
    { ok: false, checked: 5, brokenAt: 0, reason: 'the stream head is missing' }],
  ['a deleted middle event', tampered('DELETE FROM events WHERE stream_id = $1 AND revision = 2'),
    { ok: false, checked: 3, brokenAt: 2, reason: 'revision 2 is missing (found 3)' }],
  ['a deleted tail event', tampered('DELETE FROM events WHERE stream_id = $1 AND revision = 4'),
    { ok: false, checked: 4, brokenAt: 4, reason: 'the stream head is at revision 4 but the log ends at 3' }],
  ['changed data', tampered(`UPDATE events SET data = jsonb_set(data, '{n}', '9') WHERE stream_id = $1 AND revision = 3`),
    { ok: false, checked: 4, brokenAt: 3, reason: 'content does not match its hash' }],
  ['changed metadata', tampered(`UPDATE events SET metadata = metadata || '{"actor":"mallory"}' WHERE stream_id = $1 AND revision = 1`),
    { ok: false, checked: 2, brokenAt: 1, reason: 'content does not match its hash' }],
  ['a row written past the head, the head left alone', tampered(`
    INSERT INTO events (stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata)
    SELECT stream_id, 5, gen_random_uuid(), type, schema_version, occurred_at, recorded_at, data, metadata
    FROM events WHERE stream_id = $1 AND revision = 4`),
  { ok: false, checked: 6, brokenAt: 5, reason: 'previousHash does not match the hash of the event before it' }],
];

const BACKENDS: readonly [string, () => Promise<{ sql: SqlClient; dispose(): Promise<void> }>][] = [
  ['the embedded store', async () => {
    const sql = await PgliteClient.open(IN_MEMORY);
    return { sql, dispose: () => sql.close() };
  }],
  ['PostgreSQL', async () => {
    const schema = `verify_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
    return { sql, dispose: async () => (await sql.query(`DROP SCHEMA ${schema} CASCADE`), await sql.close()) };
  }],
];

describe.each(BACKENDS)('verifyStream on %s, walking page by page up to the head', (_name, openBackend) => {
  let backend: { sql: SqlClient; dispose(): Promise<void> };
  let store: SqlEventStore;
  beforeAll(async () => {
    backend = await openBackend();
    store = await SqlEventStore.open(backend.sql);
  });
  afterAll(async () => {
    await store.close();
    await backend.dispose();
  });

  it.each(CASES)('answers for %s as a snapshot of the whole stream did', async (_case, tamper, expected) => {
    const stream = streamName();
    await store.append(stream, events(5));
    await tamper(backend.sql, stream);
    expect(await store.verifyStream(stream)).toEqual(expected);
  });

  it('still starts on a database that held a negative revision before the check existed, and names that row', async () => {
    const stream = streamName();
    await store.append(stream, events(2));
    // The database as it was before the check's migration, with the row it would now refuse.
    await backend.sql.query('ALTER TABLE events DROP CONSTRAINT events_revision_not_negative');
    await backend.sql.query('DELETE FROM event_store_migrations WHERE version = 2');
    await backend.sql.query(`
      INSERT INTO events (stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata)
      SELECT stream_id, -1, gen_random_uuid(), type, schema_version, occurred_at, recorded_at, data, metadata
      FROM events WHERE stream_id = $1 AND revision = 0`, [stream]);

    const reopened = await SqlEventStore.open(backend.sql);
    expect(await reopened.verifyStream(stream)).toEqual({ ok: false, checked: 1, brokenAt: -1, reason: 'revision -1 is negative: a stream begins at revision 0' });
    await expect(backend.sql.query(`UPDATE events SET revision = -2 WHERE stream_id = $1 AND revision = 1`, [stream]))
      .rejects.toThrow(/events_revision_not_negative/);
    await reopened.close();
  });

  it('walks past a head moved back across a page boundary to the end of the log', async () => {
    const stream = streamName();
    await store.append(stream, events(2_345));
    await backend.sql.query('UPDATE event_streams SET revision = 1500 WHERE stream_id = $1', [stream]);
    expect(await store.verifyStream(stream)).toEqual({
      ok: false, checked: 2_345, brokenAt: 1_501, reason: 'the log goes on past the stream head (revision 1500)',
    });
  });
});
