import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, PgliteClient, type SqlClient } from '@ahe/database';
import { anEvent, eventually } from '../../contract/harness.contract';
import { UNREAD_METADATA, type GlobalBatch } from '../event-store.port';
import { SqlEventStore } from './sql-event-store';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Pages of the global log (as rows on PostgreSQL, as one document each on the embedded store):
 * the events as a read of their stream gives them, and without metadata (ReadAllOptions.metadata
 * false) the same page, UNREAD_METADATA in place of each event's.
 */
function describeLogReads(label: string, readsDocuments: boolean, open: () => Promise<SqlClient>, close: (sql: SqlClient) => Promise<void>): void {
  describe(`the log read on ${label}`, () => {
    let sql: SqlClient;
    let store: SqlEventStore;
    /** What the store reported read as rows (onPageReadAsRows). */
    const told: unknown[] = [];
    beforeAll(async () => {
      sql = await open();
      store = await SqlEventStore.open(sql, { onPageReadAsRows: (error) => told.push(error) });
      await store.append('account-lean-1', [anEvent({ metadata: { correlationId: 'c-1' } }), anEvent()], 'no_stream');
      await store.append('account-lean-2', [anEvent()], 'no_stream');
    });
    afterAll(() => close(sql));

    it('returns the same events and checkpoints, metadata aside', async () => {
      const full = await until(() => store.readAll({ limit: 2 }), (page) => page.events.length === 2, 'the first two events');
      const lean = await store.readAll({ limit: 2, metadata: false });
      expect(lean.checkpoint).toEqual(full.checkpoint);
      expect(lean.events).toEqual(full.events.map((event) => ({ ...event, metadata: UNREAD_METADATA })));
      expect(full.events[0]!.metadata.correlationId).toBe('c-1');
      expect(full.events[0]!.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('feeds a subscription that asks for it, beside one that reads metadata', async () => {
      const seen = { lean: [] as GlobalBatch[], full: [] as GlobalBatch[] };
      const lean = store.subscribe(async (batch) => void seen.lean.push(batch), { metadata: false, batchSize: 10 });
      const full = store.subscribe(async (batch) => void seen.full.push(batch), { batchSize: 10 });
      await eventually(() => seen.lean.length > 0 && seen.full.length > 0, 10_000, 'a batch for each subscription');
      await Promise.all([lean.stop(), full.stop()]);
      expect(seen.lean[0]!.events.map((event) => event.metadata)).toEqual([UNREAD_METADATA, UNREAD_METADATA, UNREAD_METADATA]);
      expect(seen.full[0]!.events.every((event) => event.metadata.hash.length === 64)).toBe(true);
    });

    it('gives each event as a read of its stream does, its data and instants to the character', async () => {
      const data = {
        text: 'quote " backslash \\ newline \n tab \t emoji \u{1F600} accents üé',
        numbers: [1.5, 0.1, 1e-7, 123456789012345, 1e21, -42],
        nested: { deep: [null, true, false, {}, []] },
      };
      const occurred = ['2026-02-03T04:05:06.789Z', '1969-07-20T20:17:40.123Z'];
      await store.append('account-page-1', occurred.map((occurredAt) => anEvent({ data, occurredAt })), 'no_stream');
      const stored = await store.readStream('account-page-1');
      const query = jest.spyOn(sql, 'query');
      const inLog = async (metadata: boolean) => {
        const inStream = (event: { streamId: string }) => event.streamId === 'account-page-1';
        const page = await until(() => store.readAll({ limit: 10_000, metadata }), ({ events }) => events.some(inStream), 'the stream account-page-1');
        return page.events.filter(inStream);
      };
      try {
        expect(await inLog(true)).toEqual(stored);
        expect(await inLog(false)).toEqual(stored.map((event) => ({ ...event, metadata: UNREAD_METADATA })));
        const statements = readsDocuments ? ['ahe_read_all_page', 'ahe_read_all_page_lean'] : ['ahe_read_all', 'ahe_read_all_lean'];
        expect(query.mock.calls.map(([, , name]) => name)).toEqual(expect.arrayContaining(statements));
      } finally {
        query.mockRestore();
      }
      expect(stored.map((event) => [event.data, event.occurredAt])).toEqual(occurred.map((occurredAt) => [data, occurredAt]));
    });

    if (readsDocuments) {
      it('reads a page as rows when it cannot be read as one document, and says so', async () => {
        const whole = await store.readAll({ limit: 10_000 });
        expect(told).toEqual([]);
        const query = sql.query.bind(sql);
        const failing = jest.spyOn(sql, 'query').mockImplementation(((text: string, params?: readonly unknown[], name?: string) =>
          name?.startsWith('ahe_read_all_page') ? Promise.reject(new RangeError('Invalid string length')) : query(text, params, name)) as SqlClient['query']);
        try {
          expect(await store.readAll({ limit: 10_000 })).toEqual(whole);
          expect(failing.mock.calls.map(([, , name]) => name)).toEqual(['ahe_read_all_page', 'ahe_read_all']);
          expect(told).toEqual([new RangeError('Invalid string length')]);
        } finally {
          failing.mockRestore();
        }
        expect(whole.events.length).toBeGreaterThanOrEqual(5);
      });

      it('reports nothing when the rows cannot be read either: the database\'s error reaches the caller', async () => {
        told.length = 0;
        const failing = jest.spyOn(sql, 'query').mockRejectedValue(new Error('connection lost'));
        try {
          await expect(store.readAll({ limit: 10 })).rejects.toThrow('connection lost');
          expect(failing.mock.calls.map(([, , name]) => name)).toEqual(['ahe_read_all_page', 'ahe_read_all']);
        } finally {
          failing.mockRestore();
        }
        expect(told).toEqual([]);
      });
    }
  });
}

/**
 * The first answer of `read` that is `done`, asked every 20 ms for up to 10 s: PostgreSQL shows
 * the log only below the oldest open transaction, which other sessions' may hold a while.
 */
async function until<T>(read: () => Promise<T>, done: (answer: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const answer = await read();
    if (done(answer)) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what} in the log`);
}

describeLogReads('PGlite', true, () => PgliteClient.open(IN_MEMORY), (sql) => sql.close());

const schema = `log_read_${randomUUID().slice(0, 8)}`;
describeLogReads(
  'PostgreSQL',
  false,
  () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 }),
  async (sql) => {
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  },
);
