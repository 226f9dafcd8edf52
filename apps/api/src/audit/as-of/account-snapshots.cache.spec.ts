import type { EventEnvelope, EventStore, ReadStreamOptions } from '@ahe/event-store';
import { AccountSnapshotCache, type SnapshotPolicy } from './account-snapshots.cache';

/** Four snapshots per 40-event stream; room for two streams' worth in all, though ten streams may be kept. */
const POLICY: SnapshotPolicy = { every: 10, minEvents: 20, maxPerStream: 4, streamsKept: 10, totalKept: 8 };
const LENGTH = 40;

/** Events of a type this build does not know fold as no-ops: the snapshots' spacing is all that is under test here. */
const envelopeOf = (streamId: string, revision: number): EventEnvelope => ({
  eventId: `${streamId}-${revision}`, type: 'Probe', schemaVersion: 1, streamId, revision, globalPosition: revision + 1,
  occurredAt: '2025-01-01T00:00:00.000Z', recordedAt: '2025-01-01T00:00:00.000Z', data: {}, metadata: { hash: '', previousHash: '' },
});

/** A log of long streams in memory, counting the reads each stream costs. */
function storeOfStreams() {
  const reads = new Map<string, number>();
  const store = {
    async readStream(streamId: string, { fromRevision = 0, limit = LENGTH }: ReadStreamOptions = {}) {
      reads.set(streamId, (reads.get(streamId) ?? 0) + 1);
      return Array.from({ length: Math.max(0, Math.min(limit, LENGTH - fromRevision)) }, (_, index) => envelopeOf(streamId, fromRevision + index));
    },
  } as unknown as EventStore;
  return { store, readsOf: (streamId: string) => reads.get(streamId) ?? 0 };
}

describe('AccountSnapshotCache', () => {
  it('keeps at most totalKept snapshots over all streams, dropping the least recently used streams first', async () => {
    const { store, readsOf } = storeOfStreams();
    const cache = new AccountSnapshotCache(store, POLICY);
    const snapshotsOf = (name: string) => cache.snapshotsOf(name, `account-${name}`, LENGTH - 1);
    const a = await snapshotsOf('a');
    const b = await snapshotsOf('b');
    expect([a.length, b.length, cache.size]).toEqual([4, 4, 8]);
    expect(await snapshotsOf('a')).toBe(a);

    // c makes twelve: b, the least recently used, goes; a, used since, stays.
    await snapshotsOf('c');
    expect(cache.size).toBe(8);
    const readsOfA = readsOf('account-a');
    expect(await snapshotsOf('a')).toBe(a);
    expect(readsOf('account-a')).toBe(readsOfA);
    const readsOfB = readsOf('account-b');
    const retaken = await snapshotsOf('b');
    expect(retaken).not.toBe(b);
    expect(retaken.map((snapshot) => snapshot.facts.revision)).toEqual(b.map((snapshot) => snapshot.facts.revision));
    expect(readsOf('account-b')).toBeGreaterThan(readsOfB);
    expect(cache.size).toBe(8);
  });

  it('takes the snapshots of the longest streams first, as many as it keeps without dropping any, passing short streams over', async () => {
    const { store, readsOf } = storeOfStreams();
    const cache = new AccountSnapshotCache(store, POLICY);
    const heads = new Map([['account-short', 15], ['account-a', LENGTH - 1], ['account-b', LENGTH - 1], ['account-c', LENGTH - 1]]);
    // Four snapshots each: a and b fill the eight kept, so c would push a stream out and is not taken.
    expect(await cache.takeLongest(heads)).toBe(2);
    expect(cache.size).toBe(8);
    expect([readsOf('account-short'), readsOf('account-c')]).toEqual([0, 0]);
    const readsOfA = readsOf('account-a');
    expect((await cache.snapshotsOf('a', 'account-a', LENGTH - 1)).map((snapshot) => snapshot.facts.revision)).toEqual([9, 19, 29, 39]);
    expect(readsOf('account-a')).toBe(readsOfA);
  });
});
