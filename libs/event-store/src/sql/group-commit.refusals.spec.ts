import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, InvalidEventError, WrongExpectedRevisionError } from '../errors';
import type { AppendResult } from '../event-store.port';
import { GROUP_SQL } from './event-store.queries';
import { contact, databases, groupCommitHarness } from './group-commit-harness.contract';
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
