import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, PgliteClient, type SqlClient } from '@ahe/database';
import { DuplicateEventIdError, InvalidEventError, WrongExpectedRevisionError } from '../errors';
import type { NewEvent } from '../event-store.port';
import { SqlEventStore } from './sql-event-store';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const note = (n: number, eventId?: string): NewEvent => ({
  ...(eventId ? { eventId } : {}), type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z', data: { n }, metadata: { actor: 'test' },
});
const notes = (count: number, from = 0) => Array.from({ length: count }, (_, n) => note(from + n));

function describeAppendStreams(name: string, open: () => Promise<SqlClient>, close: (sql: SqlClient) => Promise<void>): void {
  describe(`SqlEventStore.appendStreams on ${name}`, () => {
    let sql: SqlClient;
    let store: SqlEventStore;
    const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
    beforeAll(async () => {
      sql = await open();
      store = await SqlEventStore.open(sql);
    });
    afterAll(() => close(sql));

    it('writes every stream at its own expected revision, chained, in one transaction', async () => {
      const [a, b] = [unique('a'), unique('b')];
      await store.append(a, notes(2), 'no_stream');
      const results = await store.appendStreams([
        { streamId: a, events: notes(3, 2), expected: 1 },
        { streamId: b, events: notes(2), expected: 'no_stream' },
      ]);
      expect(results.map(({ streamId, firstRevision, revision }) => ({ streamId, firstRevision, revision }))).toEqual([
        { streamId: a, firstRevision: 2, revision: 4 },
        { streamId: b, firstRevision: 0, revision: 1 },
      ]);
      expect(results[0]!.checkpoint.commit).toBe(results[1]!.checkpoint.commit);
      const stored = await store.readStream(a);
      expect(stored.map((event) => (event.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
      expect(stored.map((event) => event.eventId).slice(2)).toEqual(results[0]!.eventIds);
      expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 5 });
      expect(await store.verifyStream(b)).toEqual({ ok: true, checked: 2 });
      // The head is known afterwards: the next single append takes the one-statement path.
      expect((await store.append(b, [note(9)], 1)).revision).toBe(2);
    });

    it('takes stream ids holding the characters of array literals (quotes, backslashes, commas, braces)', async () => {
      const odd = unique('odd "a\\b", {c}');
      const [result] = await store.appendStreams([{ streamId: odd, events: notes(2), expected: 'no_stream' }]);
      expect(result!.streamId).toBe(odd);
      expect((await store.readStream(odd)).map((event) => event.streamId)).toEqual([odd, odd]);
      expect(await store.verifyStream(odd)).toEqual({ ok: true, checked: 2 });
    });

    it('writes nothing when one stream is not at its expected revision', async () => {
      const [a, b] = [unique('a'), unique('b')];
      await store.append(b, notes(1), 'no_stream');
      const attempt = store.appendStreams([
        { streamId: a, events: notes(2), expected: 'no_stream' },
        { streamId: b, events: notes(2), expected: 'no_stream' },
      ]);
      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(attempt).rejects.toMatchObject({ streamId: b, actual: 0 });
      expect(await store.streamRevision(a)).toBe(-1);
      expect(await store.readStream(b)).toHaveLength(1);
    });

    it('tells the revisions of many streams in one call, -1 for those that do not exist', async () => {
      const [a, b] = [unique('a'), unique('b')];
      await store.appendStreams([{ streamId: a, events: notes(3), expected: 'no_stream' }]);
      expect(await store.streamRevisions([a, b])).toEqual(new Map([[a, 2], [b, -1]]));
      await expect(store.streamRevisions(['\u0000'])).rejects.toBeInstanceOf(InvalidEventError);
    });

    it('refuses a stream named twice, an empty call and stored event ids, writing nothing', async () => {
      const a = unique('a');
      await expect(store.appendStreams([])).rejects.toBeInstanceOf(InvalidEventError);
      await expect(store.appendStreams([
        { streamId: a, events: notes(1), expected: 'any' }, { streamId: a, events: notes(1), expected: 'any' },
      ])).rejects.toThrow(/appears twice/);
      const taken = randomUUID();
      await store.append(unique('c'), [note(0, taken)], 'no_stream');
      await expect(store.appendStreams([{ streamId: a, events: [note(1), note(2, taken)], expected: 'any' }]))
        .rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.streamRevision(a)).toBe(-1);
    });
  });
}

describeAppendStreams(
  'PostgreSQL',
  async () => {
    const sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema: `multi_${randomUUID().slice(0, 8)}`, poolSize: 2 });
    return sql;
  },
  async (sql) => {
    const { rows } = await sql.query<{ schema: string }>('SELECT current_schema() AS schema');
    await sql.query(`DROP SCHEMA ${rows[0]!.schema} CASCADE`);
    await sql.close();
  },
);
describeAppendStreams('the embedded PGlite', () => PgliteClient.open(IN_MEMORY), (sql) => sql.close());
