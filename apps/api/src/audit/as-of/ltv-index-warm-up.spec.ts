import { EventEmitter } from 'node:events';
import type { HttpAdapterHost } from '@nestjs/core';
import type { EventStore, ReadAllOptions } from '@ahe/event-store';
import { ltvModelsAsOfInWorker, replayPortfolio } from '@ahe/read-models';
import { portfolioLog } from '../../../../../libs/read-models/src/as-of/ltv-log.fixtures';
import { LtvIndexWarmUp } from './ltv-index-warm-up';
import { LtvModelsAsOfCache } from './ltv-models-as-of.cache';

const log = portfolioLog(19, 12, 12_000);

/** The log in pages of the store's own size, each read held until `release`, counting the events handed out. */
function heldStore() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const read = { events: 0, calls: 0 };
  const store = {
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

describe('LtvIndexWarmUp', () => {
  it('reads the log into the index once the server listens; a request meanwhile waits for it and reads nothing again', async () => {
    const { store, read, release } = heldStore();
    const cache = new LtvModelsAsOfCache(store);
    const server = new EventEmitter();
    const warmUp = new LtvIndexWarmUp(cache, { httpAdapter: { getHttpServer: () => server } } as unknown as HttpAdapterHost, { asOfWarmUp: true });
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

  it('reads nothing at start without AS_OF_WARM_UP, and is settled at once', async () => {
    const { store, read } = heldStore();
    const server = new EventEmitter();
    const warmUp = new LtvIndexWarmUp(new LtvModelsAsOfCache(store), { httpAdapter: { getHttpServer: () => server } } as unknown as HttpAdapterHost, { asOfWarmUp: false });
    warmUp.onApplicationBootstrap();
    server.emit('listening');
    await warmUp.settled;
    await new Promise((resolve) => setImmediate(resolve));
    expect(read.calls).toBe(0);
  });
});
