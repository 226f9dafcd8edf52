import type { AppendResult } from '../event-store.port';
import { GROUP_SQL, SQL } from './event-store.queries';
import { contact, databases, groupCommitHarness } from './group-commit-harness.contract';

describe.each(databases)('GroupCommit: concurrent single-event appends leave together (%s)', (_name, openSql) => {
  const gc = groupCommitHarness(openSql);

  it('sends appends made while one is in flight as one statement, each caller getting its own result', async () => {
    const { store, streams } = await gc.storeWithStreams(10);
    const results = await Promise.all(streams.map((stream, n) => store.append(stream, [contact(n + 1)], 0)));
    // PostgreSQL: the first goes out alone, and the nine made while it is in flight leave together.
    // PGlite runs a statement synchronously on this thread, so none could come while one is in
    // flight: appends wait for the end of the event loop's turn, and the ten made in it leave together.
    const embedded = gc.sql.kind === 'embedded';
    expect({ alone: gc.sql.count(SQL.appendOneIfHead), grouped: gc.sql.count(GROUP_SQL.appendEachIfHead), locked: gc.sql.count(SQL.lockStream) })
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
    const { store, streams } = await gc.storeWithStreams(1);
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
    const { store, streams } = await gc.storeWithStreams(2);
    let made: Promise<AppendResult>[] = [];
    // Made inside a transaction's work and not awaited there: its statement runs after the
    // transaction, as any other caller's; PGlite refuses one sent from inside its context.
    await gc.sql.transaction(async () => {
      made = streams.map((stream, n) => store.append(stream, [contact(n + 1)], 0));
    });
    expect((await Promise.all(made)).map((result) => result.revision)).toEqual([1, 1]);
  });

  it('sends a lone append as the single statement of old, and never groups with a beforeCommit seam', async () => {
    const { store, streams } = await gc.storeWithStreams(1);
    await store.append(streams[0]!, [contact(1)], 0);
    expect({ alone: gc.sql.count(SQL.appendOneIfHead), grouped: gc.sql.count(GROUP_SQL.appendEachIfHead) }).toEqual({ alone: 1, grouped: 0 });

    const seam = await gc.storeWithStreams(6, { beforeCommit: async () => undefined });
    const results = await Promise.all(seam.streams.map((stream, n) => seam.store.append(stream, [contact(n)], 0)));
    expect(results.map((result) => result.revision)).toEqual(seam.streams.map(() => 1));
    expect({ alone: gc.sql.count(SQL.appendOneIfHead), grouped: gc.sql.count(GROUP_SQL.appendEachIfHead) }).toEqual({ alone: 6, grouped: 0 });
  });

  it('lands two appends to the same stream made in one window, in order, without the locked path', async () => {
    const { store, streams } = await gc.storeWithStreams(3);
    const [busy, other, third] = streams as [string, string, string];
    const results = await Promise.all([
      store.append(other, [contact(1)], 0), store.append(busy, [contact(1)], 'any'), store.append(busy, [contact(2)], 'any'),
      store.append(third, [contact(1)], 0), store.append(busy, [contact(3)], 'stream_exists'),
    ]);
    expect(results.map((result) => result.revision)).toEqual([1, 1, 2, 1, 3]);
    expect(gc.sql.count(SQL.lockStream)).toBe(0);
    expect((await store.readStream(busy)).map((event) => (event.data as { summary: string }).summary)).toEqual([0, 1, 2, 3].map((n) => `review ${n}`));
    expect(await store.verifyStream(busy)).toEqual({ ok: true, checked: 4 });
  });
});
