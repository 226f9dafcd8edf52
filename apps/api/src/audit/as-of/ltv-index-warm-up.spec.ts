import { EventEmitter } from 'node:events';
import type { HttpAdapterHost } from '@nestjs/core';
import type { EventStore, ReadAllOptions, ReadStreamOptions } from '@ahe/event-store';
import { loadScoringRules, ltvModelsAsOfInWorker, replayPortfolio } from '@ahe/read-models';
import { portfolioLog } from '../../../../../libs/read-models/src/as-of/ltv-log.fixtures';
import { AccountAsOfReader } from './account-as-of.reader';
import { AccountSnapshotCache, SNAPSHOT_POLICY } from './account-snapshots.cache';
import { LtvIndexWarmUp } from './ltv-index-warm-up';
import { LtvModelsAsOfCache } from './ltv-models-as-of.cache';

const log = portfolioLog(19, 12, 12_000);
const streamLengths = log.reduce((lengths, { streamId }) => lengths.set(streamId, (lengths.get(streamId) ?? 0) + 1), new Map<string, number>());

/** The log in pages of the store's own size, each read held until `release`, counting the events handed out; its streams read apart are counted apart. */
function heldStore() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const read = { events: 0, calls: 0, streamReads: 0 };
  const store = {
    async streamRevision(streamId: string) {
      return streamLengths.get(streamId)! - 1;
    },
    async readStream(streamId: string, { fromRevision = 0, limit = Infinity }: ReadStreamOptions = {}) {
      read.streamReads++;
      return log.filter((event) => event.streamId === streamId && event.revision >= fromRevision).slice(0, limit);
    },
    async readAll({ after, limit = 1_000 }: ReadAllOptions = {}) {
      read.calls++;
      await released;
      const from = Number(after?.commit ?? 0n);
      const events = log.slice(from, from + limit);
      read.events += events.length;
      return { events, checkpoint: { commit: BigInt(from + events.length), prepare: 0n } };
    },
  } as unknown as EventStore;
  return { store, read, release };
}

async function* streamOf<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** The warm-up as AsOfModule wires it, on `store`, with a server that listens when told to. */
function warmUpOn(store: EventStore, asOfWarmUp: boolean) {
  const cache = new LtvModelsAsOfCache(store);
  const snapshots = new AccountSnapshotCache(store, SNAPSHOT_POLICY);
  const reader = new AccountAsOfReader(store, loadScoringRules(), cache, snapshots);
  const server = new EventEmitter();
  const host = { httpAdapter: { getHttpServer: () => server } } as unknown as HttpAdapterHost;
  return { cache, snapshots, server, warmUp: new LtvIndexWarmUp(cache, snapshots, reader, host, { asOfWarmUp }) };
}

describe('LtvIndexWarmUp', () => {
  it('reads the log into the index once the server listens; a request meanwhile waits for it and reads nothing again', async () => {
    const { store, read, release } = heldStore();
    const { cache, server, warmUp } = warmUpOn(store, true);
    warmUp.onApplicationBootstrap();
    await new Promise((resolve) => setImmediate(resolve));
    expect(read.calls).toBe(0);
    let settled = false;
    void warmUp.settled.then(() => (settled = true));

    server.emit('listening');
    const asOf = { at: new Date(log[8_000]!.recordedAt), axis: 'occurred' as const };
    const models = cache.modelsAsOf(asOf);
    await new Promise((resolve) => setImmediate(resolve));
    // The request queued behind the warm-up's first read, which holds it.
    expect(read.calls).toBe(1);
    expect(settled).toBe(false);
    release();
    await warmUp.settled;

    const replayed = await ltvModelsAsOfInWorker(await replayPortfolio(streamOf(log), { asOf: asOf.at, axis: asOf.axis }));
    expect(await models).toEqual(replayed);
    expect(read.events).toBe(log.length);
    expect(cache.indexedEvents).toBe(log.filter((event) => event.streamId.startsWith('account-')).length);
  });

  it('takes the snapshots of the long account streams the log read found, so that their first as-of reads read only a tail', async () => {
    const { store, read, release } = heldStore();
    release();
    const { cache, snapshots, server, warmUp } = warmUpOn(store, true);
    warmUp.onApplicationBootstrap();
    server.emit('listening');
    await warmUp.settled;

    const long = [...streamLengths].filter(([streamId, length]) => streamId.startsWith('account-') && length >= SNAPSHOT_POLICY.minEvents);
    expect(long.length).toBeGreaterThan(1);
    expect(new Map(cache.longStreams)).toEqual(new Map(long.map(([streamId, length]) => [streamId, length - 1])));
    const [streamId, length] = long[0]!;
    const streamReads = read.streamReads;
    const taken = await snapshots.snapshotsOf(streamId.slice('account-'.length), streamId, length - 1);
    expect(taken.length).toBe(Math.floor(length / SNAPSHOT_POLICY.every));
    expect(read.streamReads).toBe(streamReads);
  });

  it('reads nothing at start without AS_OF_WARM_UP, and is settled at once', async () => {
    const { store, read } = heldStore();
    const { server, warmUp } = warmUpOn(store, false);
    warmUp.onApplicationBootstrap();
    server.emit('listening');
    await warmUp.settled;
    await new Promise((resolve) => setImmediate(resolve));
    expect([read.calls, read.streamReads]).toEqual([0, 0]);
  });
});
