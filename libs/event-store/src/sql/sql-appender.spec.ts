import { randomUUID } from 'node:crypto';
import { IN_MEMORY, PgliteClient, type SqlClient, type SqlQueryable } from '@ahe/database';
import { WrongExpectedRevisionError } from '../errors';
import type { NewEvent } from '../event-store.port';
import { SQL } from './event-store.queries';
import { SqlEventStore } from './sql-event-store';

const contact = (n: number): NewEvent => ({
  type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z',
  data: { channel: 'call', summary: `review ${n}`, sentiment: 0.4 }, metadata: { actor: 'test', correlationId: `c-${n}` },
});

/** The same database, with the text of every statement sent through it kept in `sent`. */
function recording(sql: SqlClient): SqlClient & { readonly sent: string[] } {
  const sent: string[] = [];
  const recorded = (target: SqlQueryable): SqlQueryable => ({
    query: (text, params, name) => (sent.push(text), target.query(text, params, name)),
    exec: (script) => target.exec(script),
  });
  return Object.assign(Object.create(sql) as SqlClient, {
    sent,
    ...recorded(sql),
    transaction: <T>(work: (tx: SqlQueryable) => Promise<T>) => sql.transaction((tx) => work(recorded(tx))),
  });
}

/** What the store wrote for a stream, every column but the ones assigned per row (positions, ids). */
const storedRows = (sql: SqlClient, streamId: string) =>
  sql.query<Record<string, unknown>>(
    `SELECT revision::int, type, schema_version, occurred_at, recorded_at, data, metadata - 'hash' - 'previousHash' AS metadata,
            length(metadata->>'hash') AS hash_length
     FROM events WHERE stream_id = $1 ORDER BY revision`,
    [streamId],
  ).then(({ rows }) => rows);

describe('SqlAppender: one event at a known head (the statement of a command)', () => {
  let sql: SqlClient;
  let store: SqlEventStore;
  const clock = () => new Date('2026-02-01T00:00:00.000Z');
  beforeAll(async () => {
    sql = await PgliteClient.open(IN_MEMORY);
    store = await SqlEventStore.open(sql, { clock });
  });
  afterAll(() => sql.close());

  it('stores the same rows, chained, as appending the events as one batch', async () => {
    const [single, batched] = [`single-${randomUUID().slice(0, 8)}`, `batched-${randomUUID().slice(0, 8)}`];
    await store.append(single, [contact(0)], 'no_stream');
    for (let n = 1; n < 4; n++) await store.append(single, [contact(n)], n - 1);
    await store.append(batched, [0, 1, 2, 3].map(contact), 'no_stream');
    expect(await storedRows(sql, single)).toEqual(await storedRows(sql, batched));
    expect(await store.verifyStream(single)).toEqual({ ok: true, checked: 4 });
  });

  it('finds the head moved by another writer, and appends after it', async () => {
    const stream = `moved-${randomUUID().slice(0, 8)}`;
    await store.append(stream, [contact(0)], 'no_stream');
    // Another process moves the head: this store's cached head is stale.
    const other = await SqlEventStore.open(sql, { clock });
    await other.append(stream, [contact(1)], 0);
    const result = await store.append(stream, [contact(2)], 'any');
    expect({ firstRevision: result.firstRevision, revision: result.revision }).toEqual({ firstRevision: 2, revision: 2 });
    expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 3 });
  });

  it('refuses a stale expected revision without looking for a stored retry when the caller gave no event ids', async () => {
    const stream = `stale-${randomUUID().slice(0, 8)}`;
    const recorded = recording(sql);
    const writer = await SqlEventStore.open(recorded, { clock });
    await writer.append(stream, [contact(0)], 'no_stream');
    await (await SqlEventStore.open(sql, { clock })).append(stream, [contact(1)], 0);
    recorded.sent.length = 0;
    await expect(writer.append(stream, [contact(2)], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(recorded.sent).not.toContain(SQL.findByIds);
    // With ids of the caller's, the same refusal first checks that they are not stored already.
    recorded.sent.length = 0;
    await expect(writer.append(stream, [{ ...contact(2), eventId: randomUUID() }], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(recorded.sent).toContain(SQL.findByIds);
  });
});
