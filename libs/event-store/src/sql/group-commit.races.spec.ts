import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, PgliteClient, type SqlClient } from '@ahe/database';
import type { AppendResult } from '../event-store.port';
import { GROUP_SQL, SQL } from './event-store.queries';
import { compare, contact, databases, endOf, groupCommitHarness, logAfter, TEST_DATABASE_URL } from './group-commit-harness.contract';
import { SqlEventStore } from './sql-event-store';

describe.each(databases)('GroupCommit: writers racing on the same streams (%s)', (_name, openSql) => {
  const gc = groupCommitHarness(openSql);

  it('lands every append of two writers with their own head caches racing on the same streams, chains intact', async () => {
    const { store, streams } = await gc.storeWithStreams(12, { groupSlots: 2 });
    const other = await SqlEventStore.open(gc.database, { groupSlots: 2 });
    for (const stream of streams) await other.readStream(stream);
    const writer = async (target: SqlEventStore, name: string) => {
      for (let round = 0; round < 6; round++) {
        await Promise.all(streams.map((stream, n) => target.append(stream, [contact(n, { writer: name, round })], 'any')));
      }
    };
    await Promise.all([writer(store, 'one'), writer(other, 'two')]);
    expect(gc.sql.count(GROUP_SQL.appendEachIfHead)).toBeGreaterThan(0);
    for (const stream of streams) {
      const written = (await store.readStream(stream, { fromRevision: 1 })).map((event) => event.data as { writer: string; round: number });
      expect(written).toHaveLength(12);
      // Each writer's appends to a stream land in the order it made them.
      for (const name of ['one', 'two']) expect(written.filter((data) => data.writer === name).map((data) => data.round)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(await store.verifyStream(stream)).toEqual({ ok: true, checked: 13 });
    }
  });

  it('keeps the global log whole and in order for readers across many grouped appends', async () => {
    const { store, streams } = await gc.storeWithStreams(24, { groupSlots: 2 });
    const start = await endOf(store);
    const appended: AppendResult[] = [];
    await Promise.all(streams.map(async (stream, n) => {
      for (let round = 1; round <= 5; round++) appended.push(await store.append(stream, [contact(n * 10 + round)], n % 3 === 0 ? 'any' : round - 1));
    }));
    expect(gc.sql.count(GROUP_SQL.appendEachIfHead)).toBeGreaterThan(0);
    expect(gc.sql.count(SQL.lockStream)).toBe(0);
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
