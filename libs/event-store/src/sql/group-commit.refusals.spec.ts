import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@ahe/database';
import { DuplicateEventIdError, InvalidEventError, WrongExpectedRevisionError } from '../errors';
import type { AppendResult } from '../event-store.port';
import { GROUP_SQL } from './event-store.queries';
import { contact, databases, groupCommitHarness, TEST_DATABASE_URL } from './group-commit-harness.contract';
import { SqlEventStore } from './sql-event-store';

describe.each(databases)('GroupCommit: an append the group cannot write is refused alone (%s)', (_name, openSql) => {
  const gc = groupCommitHarness(openSql);

  it('writes the rest of a group when one stream’s head moved: that caller alone is refused, or appends after the head', async () => {
    const { store, streams } = await gc.storeWithStreams(6);
    const [first, a, refused, b, moved, c] = streams as [string, string, string, string, string, string];
    // Another process moves two heads: this store's cache is stale for them.
    const other = await SqlEventStore.open(gc.database);
    await other.append(refused, [contact(9)], 0);
    await other.append(moved, [contact(9)], 0);
    gc.sql.reset();
    const settled = await Promise.allSettled([
      store.append(first, [contact(1)], 0), store.append(a, [contact(1)], 0), store.append(refused, [contact(1)], 0),
      store.append(b, [contact(1)], 0), store.append(moved, [contact(1)], 'any'), store.append(c, [contact(1)], 0),
    ]);
    expect(gc.sql.count(GROUP_SQL.appendEachIfHead)).toBe(1);
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
    const revisions = settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.revision : 'refused'));
    expect(revisions).toEqual([1, 1, 'refused', 1, 2, 1]);
    for (const stream of streams) expect((await store.verifyStream(stream)).ok).toBe(true);
    expect(await store.streamRevision(refused)).toBe(1);
  });


  it('gives a row the database refuses its own error, re-sending the group one append at a time', async () => {
    const { store, streams } = await gc.storeWithStreams(5);
    const stored = await store.append(streams[4]!, [{ ...contact(1), eventId: randomUUID() }], 0);
    gc.sql.reset();
    const settled = await Promise.allSettled([
      store.append(streams[0]!, [contact(1)], 0),
      store.append(streams[1]!, [contact(1, { note: 'a\u0000b' })], 0),
      store.append(streams[2]!, [contact(1)], 0),
      // An event id stored in another stream: a unique violation.
      store.append(streams[3]!, [{ ...contact(1), eventId: stored.eventIds[0]! }], 0),
    ]);
    expect(gc.sql.count(GROUP_SQL.appendEachIfHead)).toBe(1);
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidEventError);
    expect((settled[3] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    expect((settled[2] as PromiseFulfilledResult<AppendResult>).value.revision).toBe(1);
    expect(await Promise.all(streams.slice(0, 4).map((stream) => store.streamRevision(stream)))).toEqual([1, 0, 1, 0]);
    // The refused streams take their next append at the head they kept.
    expect((await store.append(streams[1]!, [contact(2)], 0)).revision).toBe(1);
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
