import { compareCheckpoints, PollingSubscription, START, type Checkpoint, type EventEnvelope, type EventStore, type GlobalBatch } from '@ahe/event-store';
import { SharedLog, type LogReader } from './shared-log';

const opened: PollingSubscription[] = [];

/** A log in memory behind the real PollingSubscription: counts subscriptions and reads. */
function memoryLog(size: number) {
  const events: EventEnvelope[] = Array.from({ length: size }, (_, i) => ({
    eventId: `e${i}`, type: 'T', schemaVersion: 1, streamId: 's', revision: i, globalPosition: i + 1,
    occurredAt: new Date(0).toISOString(), recordedAt: new Date(0).toISOString(), data: {}, metadata: { hash: '', previousHash: '' },
  }));
  const at = (index: number): Checkpoint => ({ commit: BigInt(index), prepare: BigInt(index) });
  const counts = { subscriptions: 0, reads: 0 };
  const wakers = new Set<() => void>();
  const store = {
    subscribe: (handler: (batch: GlobalBatch) => Promise<void>, options: { from?: Checkpoint; batchSize?: number; maxIdleMs?: number }) => {
      counts.subscriptions++;
      const subscription = new PollingSubscription(
        {
          read: async (after, limit) => {
            counts.reads++;
            const start = events.findIndex((event) => compareCheckpoints(at(event.globalPosition), after) > 0);
            const page = start < 0 ? [] : events.slice(start, start + limit);
            return { events: page, checkpoint: page.length ? at(page[page.length - 1]!.globalPosition) : after };
          },
          hasHidden: async () => false,
          onWake: async (wake) => {
            wakers.add(wake);
            return async () => void wakers.delete(wake);
          },
        },
        handler,
        { ...options, maxIdleMs: 60_000 },
      );
      opened.push(subscription);
      return subscription;
    },
  } as unknown as EventStore;
  return { store, counts, events, at };
}

/** A reader that records what it takes; `gate` holds its hand-overs until opened. */
function reader(options: { paced?: boolean; fail?: number } = {}) {
  const taken: number[] = [];
  let open = () => undefined as void;
  let gate: Promise<void> | undefined;
  const self = {
    paced: options.paced ?? true,
    taken,
    hold() {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release: () => open(),
    async handOver(batch: GlobalBatch) {
      await gate;
      if (options.fail !== undefined && taken.length >= options.fail) throw new Error('write failed');
      taken.push(...batch.events.map((event) => event.globalPosition));
    },
  };
  return self satisfies LogReader & Record<string, unknown>;
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};
const all = (size: number) => Array.from({ length: size }, (_, i) => i + 1);

describe('SharedLog', () => {
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((subscription) => subscription.stop()));
  });

  it('reads the log once for readers paced from the same checkpoint, each taking every batch in order', async () => {
    const { store, counts } = memoryLog(95);
    const log = new SharedLog(store);
    const readers = [reader(), reader(), reader()];
    const feeds = readers.map((r) => log.attach(r, { from: START, batchSize: 10, metadata: true, onError: () => undefined }));
    await until(() => readers.every((r) => r.taken.length === 95), 'every reader at the head');
    expect(readers.map((r) => r.taken)).toEqual([all(95), all(95), all(95)]);
    expect(counts.subscriptions).toBe(1);
    expect(counts.reads).toBeLessThanOrEqual(11 + 2);
    await Promise.all(feeds.map((feed) => feed.stop()));
    await Promise.all(feeds.map((feed) => feed.done));
    expect(log.cohortCount).toBe(0);
  });

  it('holds the first read of a cohort until released, so a reader attached meanwhile at the same checkpoint still joins it', async () => {
    const { store, counts } = memoryLog(45);
    const log = new SharedLog(store);
    const release = log.hold();
    const [first, second] = [reader(), reader()];
    const feeds = [log.attach(first, { from: START, batchSize: 10, metadata: true, onError: () => undefined })];
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counts.reads).toBe(0);
    expect(first.taken).toEqual([]);
    feeds.push(log.attach(second, { from: START, batchSize: 10, metadata: true, onError: () => undefined }));
    release();
    release(); // a second call changes nothing
    await until(() => first.taken.length === 45 && second.taken.length === 45, 'both readers at the head');
    expect([first.taken, second.taken]).toEqual([all(45), all(45)]);
    expect(counts.subscriptions).toBe(1);
    // Without the hold the first reader's cohort would have moved on and the second opened one of its own.
    const unheld = memoryLog(45);
    const free = new SharedLog(unheld.store);
    const early = reader();
    feeds.push(free.attach(early, { from: START, batchSize: 10, metadata: true, onError: () => undefined }));
    await until(() => early.taken.length > 0, 'the first reader reading');
    feeds.push(free.attach(reader(), { from: START, batchSize: 10, metadata: true, onError: () => undefined }));
    expect(unheld.counts.subscriptions).toBe(2);
    await Promise.all(feeds.map((feed) => feed.stop()));
  });

  it('keeps readers that want metadata and readers that skip it in separate cohorts, passing the choice to the store', async () => {
    const { store, counts } = memoryLog(30);
    const asked: (boolean | undefined)[] = [];
    const subscribe = store.subscribe.bind(store);
    const spied = { ...store, subscribe: (handler, options) => (asked.push(options?.metadata), subscribe(handler, options)) } as EventStore;
    const log = new SharedLog(spied);
    const [lean, full] = [reader(), reader()];
    log.attach(lean, { from: START, batchSize: 10, metadata: false, onError: () => undefined });
    log.attach(full, { from: START, batchSize: 10, metadata: true, onError: () => undefined });
    await until(() => lean.taken.length === 30 && full.taken.length === 30, 'both readers at the head');
    expect(log.cohortCount).toBe(2);
    expect(counts.subscriptions).toBe(2);
    expect(asked).toEqual([false, true]);
  });

  it('moves at the pace of its slowest member, and goes on without one that stopped', async () => {
    const { store } = memoryLog(50);
    const log = new SharedLog(store);
    const slow = reader();
    const fast = reader();
    slow.hold();
    const slowFeed = log.attach(slow, { from: START, batchSize: 10, metadata: true, onError: () => undefined });
    log.attach(fast, { from: START, batchSize: 10, metadata: true, onError: () => undefined });
    await until(() => fast.taken.length === 10, 'the first batch');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The fast one has its read-ahead (one batch) and no more while the slow one holds the cohort.
    expect(fast.taken.length).toBeLessThanOrEqual(20);
    await slowFeed.stop();
    slow.release();
    await until(() => fast.taken.length === 50, 'the fast reader at the head');
    expect(fast.taken).toEqual(all(50));
  });

  it('lets a member no longer paced read on alone from a batch boundary, missing and repeating nothing', async () => {
    const { store, counts } = memoryLog(60);
    const log = new SharedLog(store);
    const swapped = reader();
    const other = reader();
    other.hold();
    const swappedFeed = log.attach(swapped, { from: START, batchSize: 10, metadata: true, onError: () => undefined });
    log.attach(other, { from: START, batchSize: 10, metadata: true, onError: () => undefined });
    await until(() => swapped.taken.length >= 10, 'the first batch');
    swapped.paced = false;
    swappedFeed.readAlone();
    await until(() => swapped.taken.length === 60, 'the unpaced reader at the head alone');
    expect(swapped.taken).toEqual(all(60));
    expect(counts.subscriptions).toBe(2);
    other.release();
    await until(() => other.taken.length === 60, 'the other reader at the head');
    expect(other.taken).toEqual(all(60));
  });

  it('ends the feed of a member whose hand-over fails, and feeds the others on', async () => {
    const { store } = memoryLog(40);
    const log = new SharedLog(store);
    const failing = reader({ fail: 20 });
    const healthy = reader();
    const failingFeed = log.attach(failing, { from: START, batchSize: 10, metadata: true, onError: () => undefined });
    log.attach(healthy, { from: START, batchSize: 10, metadata: true, onError: () => undefined });
    await expect(failingFeed.done).rejects.toThrow('write failed');
    await until(() => healthy.taken.length === 40, 'the healthy reader at the head');
    expect(healthy.taken).toEqual(all(40));
    expect(failing.taken).toEqual(all(20));
  });

  it('gives a reader elsewhere in the log, or not paced, a subscription of its own', async () => {
    const { store, counts, at } = memoryLog(30);
    const log = new SharedLog(store);
    const serving = reader({ paced: false });
    const behind = reader();
    const ahead = reader();
    log.attach(serving, { from: START, batchSize: 10, metadata: true, onError: () => undefined });
    log.attach(behind, { from: START, batchSize: 10, metadata: true, onError: () => undefined });
    log.attach(ahead, { from: at(5), batchSize: 10, metadata: true, onError: () => undefined });
    await until(() => serving.taken.length === 30 && behind.taken.length === 30 && ahead.taken.length === 25, 'all at the head');
    expect(counts.subscriptions).toBe(3);
    expect(ahead.taken).toEqual(all(30).slice(5));
  });
});
