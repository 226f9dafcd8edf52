import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, PgliteClient, type SqlClient } from '@ahe/database';
import { InvalidEventError, WriteDeadlockError, WrongExpectedRevisionError } from '../errors';
import { prepareBatch } from '../append-checks';
import type { EventEnvelope, NewEvent } from '../event-store.port';
import { SqlEventStore } from './sql-event-store';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const metadata = { correlationId: 'import-1', actor: 'test' };
const note = (n: number, occurredAt = '2026-01-01T00:00:00.000Z', eventId?: string): NewEvent => ({
  ...(eventId ? { eventId } : {}), type: 'NoteAdded', schemaVersion: 1, occurredAt, data: { n, text: `note ${n}` }, metadata,
});
const notes = (count: number, from = 0) => Array.from({ length: count }, (_, n) => note(from + n));
/** What the log keeps of an event but its position, which differs between two stores. */
const stored = ({ globalPosition: _position, ...event }: EventEnvelope) => event;

function describeImportTransaction(name: string, open: () => Promise<SqlClient>, close: (sql: SqlClient) => Promise<void>, concurrent: boolean): void {
  describe(`SqlEventStore.importTransaction on ${name}`, () => {
    let sql: SqlClient;
    let reference: SqlClient;
    let store: SqlEventStore;
    const at = new Date('2026-03-01T12:00:00.000Z');
    const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
    beforeAll(async () => {
      [sql, reference] = [await open(), await open()];
      store = await SqlEventStore.open(sql, { clock: () => at });
    });
    afterAll(async () => {
      await close(sql);
      await close(reference);
    });

    it('stores the very rows appendStreams stores: revisions, JSON, recordedAt, metadata and hash chain', async () => {
      const [a, b] = [unique('a'), unique('b')];
      const other = await SqlEventStore.open(reference, { clock: () => at });
      const first = [note(0, '2026-01-01T00:00:00.000Z', randomUUID())];
      const later = [note(1, '2026-01-31T10:00:00+01:00', randomUUID()), note(2, '2026-02-29T00:00:00.000Z', randomUUID())];
      await store.append(a, first, 'no_stream');
      await other.append(a, first, 'no_stream');
      await store.importTransaction(async (writer) => {
        expect((await writer.lockStreams([a, b])).get(a)!.map(stored)).toEqual((await other.readStream(a)).map(stored));
        await Promise.all([writer.write([{ streamId: a, events: later }]), writer.write([{ streamId: b, events: notes(2) }])]);
      });
      await other.appendStreams([{ streamId: a, events: later, expected: 0 }]);
      expect((await store.readStream(a)).map(stored)).toEqual((await other.readStream(a)).map(stored));
      expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 3 });
      expect(await store.verifyStream(b)).toEqual({ ok: true, checked: 2 });
    });

    it('writes instants as prepareBatch does, also those it takes as they are', async () => {
      const a = unique('a');
      const instants = ['2026-01-28T23:59:59.999Z', '2026-01-31T10:00:00.000Z', '2025-02-29T10:00:00.000Z', '2026-01-02T00:00:00Z', '2026-01-02T01:00:00.5+01:00'];
      const events = instants.map((instant, n) => note(n, instant));
      await store.importTransaction(async (writer) => {
        await writer.lockStreams([a]);
        await writer.write([{ streamId: a, events }]);
      });
      expect((await store.readStream(a)).map((event) => event.occurredAt)).toEqual(prepareBatch(a, events).map((event) => event.occurredAt));
    });

    it('stores text that COPY reads as escapes exactly as appendStreams does: backslashes, quotes, tabs and line breaks in JSON strings and stream ids', async () => {
      const awkward = ['back\\slash', '\\N', '\\.', 'tab\there', 'line\nbreak\r\n', 'quote " and \\"', 'ünïcödé 👍', '\\\\t'];
      const a = `${unique('a')}\\N "q" \\t`;
      const events = awkward.map((text, n): NewEvent => ({
        eventId: randomUUID(), type: 'NoteAdded', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z',
        data: { n, text, [text]: [text] }, metadata: { ...metadata, reason: text },
      }));
      const other = await SqlEventStore.open(reference, { clock: () => at });
      await store.importTransaction(async (writer) => {
        await writer.lockStreams([a]);
        await writer.write([{ streamId: a, events }]);
      });
      await other.appendStreams([{ streamId: a, events, expected: 'no_stream' }]);
      const imported = await store.readStream(a);
      expect(imported.map(stored)).toEqual((await other.readStream(a)).map(stored));
      expect(imported.map((event) => (event.data as { text: string }).text)).toEqual(awkward);
      expect(await store.verifyStream(a)).toEqual({ ok: true, checked: awkward.length });
    });

    it('refuses a row the database cannot store (a NUL in its JSON) as InvalidEventError, storing nothing of the import', async () => {
      const [a, b] = [unique('a'), unique('b')];
      const refused = store.importTransaction(async (writer) => {
        await writer.lockStreams([a, b]);
        await writer.write([{ streamId: a, events: notes(3) }]);
        await writer.write([{ streamId: b, events: [note(0), { ...note(1), data: { text: 'a\u0000b' } }] }]);
      });
      await expect(refused).rejects.toBeInstanceOf(InvalidEventError);
      await expect(refused).rejects.toThrow(/event rejected by the store/);
      expect(await store.streamRevision(a)).toBe(-1);
      expect(await store.streamRevision(b)).toBe(-1);
      // The connection went back to the pool clean: the next import works.
      await store.importTransaction(async (writer) => {
        await writer.lockStreams([a]);
        await writer.write([{ streamId: a, events: notes(2) }]);
      });
      expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 2 });
    });

    it('fails the statements asked for after a failed one with its error, and rolls back once they have all settled', async () => {
      const [a, b, c] = [unique('a'), unique('b'), unique('c')];
      await store.append(c, notes(1), 'no_stream');
      const asked: Promise<unknown>[] = [];
      const refused = store.importTransaction(async (writer) => {
        await writer.lockStreams([a, b]);
        // None awaited before the next is asked for: they go to the database together.
        asked.push(writer.write([{ streamId: a, events: [note(0), { ...note(1), data: { text: 'a\u0000b' } }] }]));
        asked.push(writer.lockStreams([c]));
        asked.push(writer.write([{ streamId: b, events: notes(2) }]));
        await Promise.all(asked);
      });
      await expect(refused).rejects.toBeInstanceOf(InvalidEventError);
      const [first, ...later] = await Promise.all(asked.map((one) => one.then(() => 'resolved', (error: unknown) => error)));
      expect(first).toBeInstanceOf(Error);
      expect((first as { code?: string }).code).toMatch(/^22/); // a data exception, not "current transaction is aborted"
      for (const one of later) expect(one).toBe(first);
      expect(await store.streamRevision(a)).toBe(-1);
      expect(await store.streamRevision(b)).toBe(-1);
      // The connection went back clean, and c was never held: an append and the next import work.
      expect((await store.append(c, [note(1)], 0)).revision).toBe(1);
      await store.importTransaction(async (writer) => {
        await writer.lockStreams([b]);
        await writer.write([{ streamId: b, events: notes(2) }]);
      });
      expect(await store.verifyStream(b)).toEqual({ ok: true, checked: 2 });
    });

    it('chains the windows of one stream and moves its head once, at the end', async () => {
      const a = unique('a');
      await store.append(a, notes(2), 'no_stream');
      await store.importTransaction(async (writer) => {
        expect((await writer.lockStreams([a])).get(a)).toHaveLength(2);
        for (let window = 0; window < 3; window++) void writer.write([{ streamId: a, events: notes(4, 2 + window * 4) }]);
        // Readers elsewhere still see the head before the import (the embedded store serves none meanwhile).
        if (concurrent) expect(await store.streamRevision(a)).toBe(1);
      });
      expect(await store.streamRevision(a)).toBe(13);
      expect((await store.readStream(a)).map((event) => (event.data as { n: number }).n)).toEqual(Array.from({ length: 14 }, (_, n) => n));
      expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 14 });
      // The head is known afterwards: the next append continues the chain.
      expect((await store.append(a, [note(14)], 13)).revision).toBe(14);
    });

    it('stores nothing when the work throws, after writes already made', async () => {
      const [a, b] = [unique('a'), unique('b')];
      await store.append(b, notes(1), 'no_stream');
      const refused = store.importTransaction(async (writer) => {
        await writer.lockStreams([a, b]);
        await writer.write([{ streamId: a, events: notes(3) }, { streamId: b, events: notes(2, 1) }]);
        throw new Error('line 7 is invalid');
      });
      await expect(refused).rejects.toThrow('line 7 is invalid');
      expect(await store.streamRevision(a)).toBe(-1);
      expect(await store.readStream(b)).toHaveLength(1);
      expect((await store.append(b, [note(1)], 0)).revision).toBe(1);
    });

    it('makes an append to a stream it holds wait for its end, then refuses the stale expected revision', async () => {
      const a = unique('a');
      await store.append(a, notes(1), 'no_stream');
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const importing = store.importTransaction(async (writer) => {
        await writer.lockStreams([a]);
        await writer.write([{ streamId: a, events: notes(2, 1) }]);
        holding();
      });
      // Another writer, outside the import (the embedded store queues it behind the import's transaction).
      await held;
      const late = store.append(a, [note(9)], 0).catch((error: unknown) => error);
      await importing;
      expect(await late).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.readStream(a)).map((event) => (event.data as { n: number }).n)).toEqual([0, 1, 2]);
      expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 3 });
    });

    (concurrent ? it : it.skip)('refuses a stream that a transaction younger than the import wrote before it was locked, storing nothing', async () => {
      const [a, b] = [unique('a'), unique('b')];
      await store.append(b, notes(1), 'no_stream');
      const refused = store.importTransaction(async (writer) => {
        await writer.lockStreams([a]);
        await writer.write([{ streamId: a, events: notes(2) }]);
        // Another writer, begun after the import, appends to b and commits before the import reaches b.
        await store.append(b, [note(1)], 0);
        await writer.lockStreams([b]);
      });
      await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(refused).rejects.toMatchObject({ streamId: b });
      expect(await store.streamRevision(a)).toBe(-1);
      expect(await store.readStream(b)).toHaveLength(2);
      expect(await store.verifyStream(b)).toEqual({ ok: true, checked: 2 });
    });

    (concurrent ? it : it.skip)('answers a deadlock with another import as WriteDeadlockError, the survivor stored and the other not', async () => {
      const [a, b] = [unique('a'), unique('b')];
      let release!: () => void;
      const bothHold = new Promise<void>((resolve) => (release = resolve));
      let holding = 0;
      const hold = async () => {
        if (++holding === 2) release();
        await bothHold;
      };
      // Each takes one stream, waits until the other holds its own, then asks for the other's.
      const importing = (first: string, second: string) =>
        store.importTransaction(async (writer) => {
          await writer.lockStreams([first]);
          await writer.write([{ streamId: first, events: notes(1) }]);
          await hold();
          await writer.lockStreams([second]);
          await writer.write([{ streamId: second, events: notes(1, 1) }]);
        });
      const outcomes = await Promise.allSettled([importing(a, b), importing(b, a)]);
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(WriteDeadlockError);
      // The survivor's one event a stream, its first stream's note 0 and its second's note 1; nothing of the other.
      const notesOf = async (streamId: string) => (await store.readStream(streamId)).map((event) => (event.data as { n: number }).n);
      expect([...(await notesOf(a)), ...(await notesOf(b))].sort()).toEqual([0, 1]);
      expect(await store.verifyStream(a)).toEqual({ ok: true, checked: 1 });
      expect(await store.verifyStream(b)).toEqual({ ok: true, checked: 1 });
    });
  });
}

describeImportTransaction(
  'PostgreSQL',
  async () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema: `import_tx_${randomUUID().slice(0, 8)}`, poolSize: 3 }),
  async (sql) => {
    const { rows } = await sql.query<{ schema: string }>('SELECT current_schema() AS schema');
    await sql.query(`DROP SCHEMA ${rows[0]!.schema} CASCADE`);
    await sql.close();
  },
  true,
);
describeImportTransaction('the embedded PGlite', () => PgliteClient.open(IN_MEMORY), (sql) => sql.close(), false);
