import { Inject, Injectable } from '@nestjs/common';
import { accountIdOfStream } from '@ahe/domain';
import { LruMap, type EventStore } from '@ahe/event-store';
import { EVENT_STORE } from '@ahe/platform';
import { BrokenStreamError, takeSnapshots, type AccountSnapshot } from '@ahe/read-models';

export interface SnapshotPolicy {
  /** Revisions between two snapshots of a stream, at first. */
  readonly every: number;
  /** Shorter streams are read whole: a snapshot would save less than it costs to keep. */
  readonly minEvents: number;
  /** Past this many, every other one is dropped and the spacing doubles: memory grows with log(length). */
  readonly maxPerStream: number;
  /** Streams whose snapshots are kept, least recently used dropped first. */
  readonly streamsKept: number;
  /** Snapshots kept over all streams: past it, the least recently used streams' are dropped. */
  readonly totalKept: number;
}

/**
 * A 10,000-event stream: 40 snapshots, a tail of under 250 events to read and fold per answer
 * (a tail of up to 1,000 cost 10-20 ms of CPU). A snapshot's own memory is small, its state
 * sharing the persistent collections of the ones before it.
 */
export const SNAPSHOT_POLICY: SnapshotPolicy = Object.freeze({ every: 250, minEvents: 500, maxPerStream: 64, streamsKept: 64, totalKept: 1_024 });
export const SNAPSHOT_POLICY_TOKEN = Symbol('SNAPSHOT_POLICY');

interface StreamSnapshots {
  readonly every: number;
  readonly snapshots: readonly AccountSnapshot[];
}

/**
 * In-memory snapshots of long streams (libs/read-models/src/as-of/account-snapshots.ts): the fold
 * of a stream's first events, kept per process. They never go stale, the log being
 * append-only, so there is nothing to invalidate; a request brings a stream's snapshots up to its
 * head when it has grown past the next one since, reading only the new events. A process that
 * starts takes them on the first as-of read of each long stream, or for the longest streams in
 * its warm-up (takeLongest).
 */
@Injectable()
export class AccountSnapshotCache {
  private readonly streams: LruMap<string, StreamSnapshots>;
  private readonly policy: SnapshotPolicy;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(SNAPSHOT_POLICY_TOKEN) policy: SnapshotPolicy) {
    this.policy = policy;
    this.streams = new LruMap(policy.streamsKept);
  }

  /** The stream's snapshots in revision order, taken up to within a spacing of `head`; none for a short stream. */
  async snapshotsOf(accountId: string, streamId: string, head: number): Promise<readonly AccountSnapshot[]> {
    if (head + 1 < this.policy.minEvents) return [];
    const kept = this.streams.get(streamId) ?? { every: this.policy.every, snapshots: [] };
    let stream = kept;
    // A page per snapshot, ending on its revision, so that memory holds one spacing of events at a time.
    for (;;) {
      const fromRevision = (stream.snapshots.at(-1)?.facts.revision ?? -1) + 1;
      const limit = stream.every - (fromRevision % stream.every);
      if (fromRevision + limit - 1 > head) break;
      const page = await this.store.readStream(streamId, { fromRevision, limit });
      const taken = takeSnapshots(accountId, page, stream.every, stream.snapshots.at(-1));
      if (taken.length === 0) break;
      stream = thinned({ every: stream.every, snapshots: [...stream.snapshots, ...taken] }, this.policy.maxPerStream);
    }
    if (stream !== kept) this.keep(streamId, stream);
    return stream.snapshots;
  }

  /**
   * Takes the snapshots of the longest of these streams (stream id → head revision), as many as
   * the policy keeps without dropping any, so that their first as-of reads fold only a tail. A
   * stream that cannot be replayed is passed over: its reads answer why. Returns the streams taken.
   */
  async takeLongest(heads: ReadonlyMap<string, number>): Promise<number> {
    const longest = [...heads].filter(([, head]) => head + 1 >= this.policy.minEvents).sort(([, a], [, b]) => b - a);
    let taken = 0;
    for (const [streamId, head] of longest) {
      const expected = Math.min(this.policy.maxPerStream, Math.floor((head + 1) / this.policy.every));
      if (taken === this.policy.streamsKept || this.size + expected > this.policy.totalKept) break;
      const accountId = accountIdOfStream(streamId);
      if (accountId === null) continue;
      try {
        await this.snapshotsOf(accountId, streamId, head);
        taken++;
      } catch (error) {
        if (!(error instanceof BrokenStreamError)) throw error;
      }
    }
    return taken;
  }

  /** Snapshots kept over all streams. */
  get size(): number {
    return this.streams.snapshot().reduce((total, [, stream]) => total + stream.snapshots.length, 0);
  }

  /** Sets the stream's, then drops the least recently used others while over the total (never the one just set). */
  private keep(streamId: string, stream: StreamSnapshots): void {
    this.streams.set(streamId, stream);
    const streams = this.streams.snapshot();
    let total = streams.reduce((sum, [, kept]) => sum + kept.snapshots.length, 0);
    for (const [id, kept] of streams) {
      if (total <= this.policy.totalKept || id === streamId) break;
      this.streams.delete(id);
      total -= kept.snapshots.length;
    }
  }
}

/** Doubles the spacing until few enough are left, always keeping the latest: the next ones are taken from it. */
function thinned(stream: StreamSnapshots, max: number): StreamSnapshots {
  let { every, snapshots } = stream;
  while (snapshots.length > max) {
    every *= 2;
    const latest = snapshots.at(-1)!;
    snapshots = snapshots.filter((snapshot) => snapshot === latest || (snapshot.facts.revision + 1) % every === 0);
  }
  return { every, snapshots };
}
