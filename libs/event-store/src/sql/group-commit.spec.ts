import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, PgliteClient, type SqlClient, type SqlQueryable } from '@ahe/database';
import { DuplicateEventIdError, InvalidEventError, WrongExpectedRevisionError } from '../errors';
import { START, type AppendResult, type Checkpoint, type EventEnvelope, type NewEvent } from '../event-store.port';
import { GROUP_SQL, SQL } from './event-store.queries';
import { SqlEventStore, type SqlEventStoreOptions } from './sql-event-store';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const contact = (n: number, data: object = {}): NewEvent => ({
  type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-01-01T00:00:00.000Z',
  data: { channel: 'call', summary: `review ${n}`, ...data }, metadata: { actor: 'test', correlationId: `c-${n}` },
});

/** The same database, counting the statements sent through it by their text. */
function counting(sql: SqlClient): SqlClient & { count(text: string): number; reset(): void } {
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

const compare = (a: Checkpoint, b: Checkpoint) => (a.commit === b.commit ? Number(a.prepare - b.prepare) : a.commit < b.commit ? -1 : 1);

/**
 * The events `mine` picks after `after`, page by page, and every page's checkpoint; waits out
 * rows an open transaction elsewhere on the server still hides (ADR 0002), so that the log's
 * end seen before may be short of rows written earlier, which `mine` leaves out.
 */
async function logAfter(store: SqlEventStore, after: Checkpoint, mine: (event: EventEnvelope) => boolean, expected: number) {
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

async function endOf(store: SqlEventStore): Promise<Checkpoint> {
  let after = START;
  for (let page = await store.readAll({ after, limit: 10_000 }); page.events.length; page = await store.readAll({ after, limit: 10_000 })) {
    after = page.checkpoint;
  }
  return after;
}

const databases: [string, () => Promise<{ sql: SqlClient; drop(): Promise<void> }>][] = [
  ['PostgreSQL', async () => {
    const schema = `gc_group_${randomUUID().slice(0, 8)}`;
    const sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 8 });
    return { sql, drop: async () => void (await sql.query(`DROP SCHEMA ${schema} CASCADE`)) };
  }],
  ['PGlite', async () => ({ sql: await PgliteClient.open(IN_MEMORY), drop: async () => undefined })],
];

describe.each(databases)('GroupCommit: concurrent single-event appends leave together (%s)', (_name, openSql) => {
  let database: { sql: SqlClient; drop(): Promise<void> };
  let sql: ReturnType<typeof counting>;
  beforeAll(async () => {
    database = await openSql();
    sql = counting(database.sql);
  });
  afterAll(async () => {
    await database.drop();
    await database.sql.close();
  });

  /** A store whose head cache knows `count` streams of one event each. */
  async function storeWithStreams(count: number, options: SqlEventStoreOptions = {}): Promise<{ store: SqlEventStore; streams: string[] }> {
    const store = await SqlEventStore.open(sql, { groupSlots: 1, ...options });
    const streams = Array.from({ length: count }, (_, n) => `gc-${String(n).padStart(2, '0')}-${randomUUID().slice(0, 8)}`);
    for (const stream of streams) await store.append(stream, [contact(0)], 'no_stream');
    sql.reset();
    return { store, streams };
  }

  it('sends appends made while one is in flight as one statement, each caller getting its own result', async () => {
    const { store, streams } = await storeWithStreams(10);
    const results = await Promise.all(streams.map((stream, n) => store.append(stream, [contact(n + 1)], 0)));
    // PostgreSQL: the first goes out alone, and the nine made while it is in flight leave together.
    // PGlite runs a statement synchronously on this thread, so none could come while one is in
    // flight: appends wait for the end of the event loop's turn, and the ten made in it leave together.
    const embedded = sql.kind === 'embedded';
    expect({ alone: sql.count(SQL.appendOneIfHead), grouped: sql.count(GROUP_SQL.appendEachIfHead), locked: sql.count(SQL.lockStream) })
      .toEqual({ alone: embedded ? 0 : 1, grouped: 1, locked: 0 });
    expect(results.map((result) => [result.streamId, result.firstRevision, result.revision])).toEqual(streams.map((stream) => [stream, 1, 1]));
    // The ones that waited share one transaction; positions are each their own.
    expect(new Set(results.slice(embedded ? 0 : 1).map((result) => result.checkpoint.commit)).size).toBe(1);
    expect(new Set(results.map((result) => result.position)).size).toBe(10);
    for (const [n, stream] of streams.entries()) {
      const [event] = await store.readStream(stream, { fromRevision: 1 });
      expect(event).toMatchObject({ eventId: results[n]!.eventIds[0], globalPosition: results[n]!.position, data: { summary: `review ${n + 1}` } });
      expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 2 });
    }
  });

  it('lands appends a writer makes one after the other to one stream in that order, whichever path each takes', async () => {
    const { store, streams } = await storeWithStreams(1);
    const stream = streams[0]!;
    // Not awaited in between: the single event goes through the group (on the embedded store it
    // waits for the end of the turn), the two events after it take a statement of their own.
    const single = store.append(stream, [contact(1)], 0);
    const batch = store.append(stream, [contact(2), contact(3)], 1);
    expect((await Promise.all([single, batch])).map((result) => [result.firstRevision, result.revision])).toEqual([[1, 1], [2, 3]]);
    expect((await store.readStream(stream)).map((event) => (event.data as { summary: string }).summary))
      .toEqual(['review 0', 'review 1', 'review 2', 'review 3']);
    expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 4 });
  });

  it('runs a group in its own context, not in that of the first append in it (a transaction of the client, say)', async () => {
    const { store, streams } = await storeWithStreams(2);
    let made: Promise<AppendResult>[] = [];
    // Made inside a transaction's work and not awaited there: its statement runs after the
    // transaction, as any other caller's; PGlite refuses one sent from inside its context.
    await sql.transaction(async () => {
      made = streams.map((stream, n) => store.append(stream, [contact(n + 1)], 0));
    });
    expect((await Promise.all(made)).map((result) => result.revision)).toEqual([1, 1]);
  });

  it('sends a lone append as the single statement of old, and never groups with a beforeCommit seam', async () => {
    const { store, streams } = await storeWithStreams(1);
    await store.append(streams[0]!, [contact(1)], 0);
    expect({ alone: sql.count(SQL.appendOneIfHead), grouped: sql.count(GROUP_SQL.appendEachIfHead) }).toEqual({ alone: 1, grouped: 0 });

    const seam = await storeWithStreams(6, { beforeCommit: async () => undefined });
    const results = await Promise.all(seam.streams.map((stream, n) => seam.store.append(stream, [contact(n)], 0)));
    expect(results.map((result) => result.revision)).toEqual(seam.streams.map(() => 1));
    expect({ alone: sql.count(SQL.appendOneIfHead), grouped: sql.count(GROUP_SQL.appendEachIfHead) }).toEqual({ alone: 6, grouped: 0 });
  });

  it('writes the rest of a group when one stream’s head moved: that caller alone is refused, or appends after the head', async () => {
    const { store, streams } = await storeWithStreams(6);
    const [first, a, refused, b, moved, c] = streams as [string, string, string, string, string, string];
    // Another process moves two heads: this store's cache is stale for them.
    const other = await SqlEventStore.open(database.sql);
    await other.append(refused, [contact(9)], 0);
    await other.append(moved, [contact(9)], 0);
    sql.reset();
    const settled = await Promise.allSettled([
      store.append(first, [contact(1)], 0), store.append(a, [contact(1)], 0), store.append(refused, [contact(1)], 0),
      store.append(b, [contact(1)], 0), store.append(moved, [contact(1)], 'any'), store.append(c, [contact(1)], 0),
    ]);
    expect(sql.count(GROUP_SQL.appendEachIfHead)).toBe(1);
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
    const revisions = settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.revision : 'refused'));
    expect(revisions).toEqual([1, 1, 'refused', 1, 2, 1]);
    for (const stream of streams) expect((await store.verifyStream(stream)).ok).toBe(true);
    expect(await store.streamRevision(refused)).toBe(1);
  });

  it('lands two appends to the same stream made in one window, in order, without the locked path', async () => {
    const { store, streams } = await storeWithStreams(3);
    const [busy, other, third] = streams as [string, string, string];
    const results = await Promise.all([
      store.append(other, [contact(1)], 0), store.append(busy, [contact(1)], 'any'), store.append(busy, [contact(2)], 'any'),
      store.append(third, [contact(1)], 0), store.append(busy, [contact(3)], 'stream_exists'),
    ]);
    expect(results.map((result) => result.revision)).toEqual([1, 1, 2, 1, 3]);
    expect(sql.count(SQL.lockStream)).toBe(0);
    expect((await store.readStream(busy)).map((event) => (event.data as { summary: string }).summary)).toEqual([0, 1, 2, 3].map((n) => `review ${n}`));
    expect(await store.verifyStream(busy)).toEqual({ ok: true, checked: 4 });
  });

  it('gives a row the database refuses its own error, re-sending the group one append at a time', async () => {
    const { store, streams } = await storeWithStreams(5);
    const stored = await store.append(streams[4]!, [{ ...contact(1), eventId: randomUUID() }], 0);
    sql.reset();
    const settled = await Promise.allSettled([
      store.append(streams[0]!, [contact(1)], 0),
      store.append(streams[1]!, [contact(1, { note: 'a\u0000b' })], 0),
      store.append(streams[2]!, [contact(1)], 0),
      // An event id stored in another stream: a unique violation.
      store.append(streams[3]!, [{ ...contact(1), eventId: stored.eventIds[0]! }], 0),
    ]);
    expect(sql.count(GROUP_SQL.appendEachIfHead)).toBe(1);
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidEventError);
    expect((settled[3] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    expect((settled[2] as PromiseFulfilledResult<AppendResult>).value.revision).toBe(1);
    expect(await Promise.all(streams.slice(0, 4).map((stream) => store.streamRevision(stream)))).toEqual([1, 0, 1, 0]);
    // The refused streams take their next append at the head they kept.
    expect((await store.append(streams[1]!, [contact(2)], 0)).revision).toBe(1);
  });

  it('lands every append of two writers with their own head caches racing on the same streams, chains intact', async () => {
    const { store, streams } = await storeWithStreams(12, { groupSlots: 2 });
    const other = await SqlEventStore.open(database.sql, { groupSlots: 2 });
    for (const stream of streams) await other.readStream(stream);
    const writer = async (target: SqlEventStore, name: string) => {
      for (let round = 0; round < 6; round++) {
        await Promise.all(streams.map((stream, n) => target.append(stream, [contact(n, { writer: name, round })], 'any')));
      }
    };
    await Promise.all([writer(store, 'one'), writer(other, 'two')]);
    expect(sql.count(GROUP_SQL.appendEachIfHead)).toBeGreaterThan(0);
    for (const stream of streams) {
      const written = (await store.readStream(stream, { fromRevision: 1 })).map((event) => event.data as { writer: string; round: number });
      expect(written).toHaveLength(12);
      // Each writer's appends to a stream land in the order it made them.
      for (const name of ['one', 'two']) expect(written.filter((data) => data.writer === name).map((data) => data.round)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 13 });
    }
  });

  it('keeps the global log whole and in order for readers across many grouped appends', async () => {
    const { store, streams } = await storeWithStreams(24, { groupSlots: 2 });
    const start = await endOf(store);
    const appended: AppendResult[] = [];
    await Promise.all(streams.map(async (stream, n) => {
      for (let round = 1; round <= 5; round++) appended.push(await store.append(stream, [contact(n * 10 + round)], n % 3 === 0 ? 'any' : round - 1));
    }));
    expect(sql.count(GROUP_SQL.appendEachIfHead)).toBeGreaterThan(0);
    expect(sql.count(SQL.lockStream)).toBe(0);
    const ours = new Set(streams);
    const { events, checkpoints } = await logAfter(store, start, (event) => ours.has(event.streamId) && event.revision > 0, appended.length);
    expect(events.map((event) => event.eventId).sort()).toEqual(appended.map((result) => result.eventIds[0]).sort());
    expect(checkpoints.slice(1).map((checkpoint, index) => compare(checkpoint, checkpoints[index]!) > 0)).not.toContain(false);
    for (const stream of streams) {
      const revisions = events.filter((event) => event.streamId === stream).map((event) => event.revision);
      expect(revisions).toEqual([1, 2, 3, 4, 5]);
      expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 6 });
    }
    // Each append's own checkpoint is where its event sits in the log.
    const at = new Map(events.map((event, index) => [event.eventId, index]));
    const byCheckpoint = [...appended].sort((x, y) => compare(x.checkpoint, y.checkpoint));
    expect(byCheckpoint.map((result) => at.get(result.eventIds[0]!))).toEqual(events.map((_event, index) => index));
  });
});

describe('GroupCommit and a head row locked by another transaction (PostgreSQL)', () => {
  const schema = `gc_locked_${randomUUID().slice(0, 8)}`;
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 8 });
  });
  afterAll(async () => {
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  });

  it('writes the other appends at once; the one whose head is locked waits for the lock on its own, then lands', async () => {
    const store = await SqlEventStore.open(sql);
    const streams = ['locked-a', 'free-b', 'free-c', 'free-d'];
    for (const stream of streams) await store.append(stream, [contact(0)], 'no_stream');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another writer (an import, say) holds the first head's row for a while.
    const holder = sql.transaction(async (tx) => {
      await tx.query(`SELECT stream_id FROM event_streams WHERE stream_id = 'locked-a' FOR UPDATE`);
      locked();
      await released;
    });
    await isLocked;
    const blocked = store.append('locked-a', [contact(1)], 0);
    let blockedDone = false;
    void blocked.then(() => (blockedDone = true), () => (blockedDone = true));
    const free = await Promise.all(streams.slice(1).map((stream, n) => store.append(stream, [contact(n + 1)], 0)));
    expect(free.map((result) => result.revision)).toEqual([1, 1, 1]);
    expect(blockedDone).toBe(false);
    release();
    await holder;
    expect((await blocked).revision).toBe(1);
    for (const stream of streams) expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 2 });
    await store.close();
  });
});

/** A database of its own, since the test closes it; PostgreSQL's can be opened again to read back what was stored. */
const closable: [string, () => Promise<{ sql: SqlClient; reopen?: () => Promise<SqlClient>; schema?: string }>][] = [
  ['PostgreSQL', async () => {
    const schema = `gc_close_${randomUUID().slice(0, 8)}`;
    const open = () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 8 });
    return { sql: await open(), reopen: open, schema };
  }],
  ['PGlite', async () => ({ sql: await PgliteClient.open(IN_MEMORY) })],
];

describe.each(closable)('SqlEventStore.close with appends under way (%s)', (_name, openSql) => {
  it('answers the appends waiting in the group commit before the client closes, as at shutdown, and stores them', async () => {
    const { sql, reopen, schema } = await openSql();
    const store = await SqlEventStore.open(sql, { groupSlots: 1 });
    const streams = Array.from({ length: 10 }, (_, n) => `close-${n}-${randomUUID().slice(0, 8)}`);
    for (const stream of streams) await store.append(stream, [contact(0)], 'no_stream');
    // The first goes alone and nine wait for it; meanwhile the store closes, then its client.
    const appends = streams.map((stream, n) => store.append(stream, [contact(n + 1)], 0));
    await store.close();
    await sql.close();
    const settled = await Promise.allSettled(appends);
    expect(settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.revision : String(outcome.reason)))).toEqual(streams.map(() => 1));
    if (!reopen) return;
    const again = await reopen();
    try {
      const reader = await SqlEventStore.open(again);
      for (const [n, stream] of streams.entries()) {
        expect((await reader.readStream(stream)).map((event) => [event.revision, event.data])).toEqual([[0, contact(0).data], [1, contact(n + 1).data]]);
      }
    } finally {
      await again.query(`DROP SCHEMA ${schema} CASCADE`);
      await again.close();
    }
  });
});
