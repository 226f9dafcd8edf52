import type { Checkpoint, EventEnvelope, GlobalBatch } from './event-store.port';
import { START } from './event-store.port';
import { PollingSubscription, type LogSource } from './polling-subscription';

/** A log of `ready` events readable now (at positions 1…ready, its checkpoints' commit), which the test grows; each read is recorded. */
class GrowingLog implements LogSource {
  ready = 0;
  readonly reads: { at: number; after: number; count: number }[] = [];
  private wake?: () => void;

  async read(after: Checkpoint, limit: number): Promise<GlobalBatch> {
    const from = Number(after.commit);
    const count = Math.max(0, Math.min(limit, this.ready - from));
    this.reads.push({ at: Date.now(), after: from, count });
    const events = Array.from({ length: count }, (_, index) => ({ globalPosition: from + index + 1 }) as unknown as EventEnvelope);
    const last = BigInt(from + count);
    return { events, checkpoint: count === 0 ? after : { commit: last, prepare: last } };
  }

  async hasHidden(): Promise<boolean> {
    return false;
  }

  async onWake(wake: () => void): Promise<() => Promise<void>> {
    this.wake = wake;
    return async () => undefined;
  }

  /** Appends `count` events and wakes the reader, as a commit does. */
  append(count: number): void {
    this.ready += count;
    this.wake?.();
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PollingSubscription: reads at the head of the log', () => {
  const subscriptions: PollingSubscription[] = [];
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
  });
  const subscribe = (log: GrowingLog, options: { headReadIntervalMs?: number; batchSize?: number }) => {
    const delivered: number[] = [];
    const handler = async (batch: GlobalBatch) => void delivered.push(batch.events.length);
    const subscription = new PollingSubscription(log, handler, { from: START, maxIdleMs: 60_000, ...options });
    subscriptions.push(subscription);
    return delivered;
  };
  /** Appends one event every 2 ms for `ms`. */
  const trickle = async (log: GrowingLog, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; await delay(2)) log.append(1);
  };

  it('with an interval, waits it out between reads at the head, so a steady trickle comes in fewer, larger batches', async () => {
    const log = new GrowingLog();
    const delivered = subscribe(log, { headReadIntervalMs: 100, batchSize: 1_000 });
    await trickle(log, 600);
    await delay(150);
    const reading = log.reads.filter((read) => read.count > 0);
    expect(delivered.reduce((sum, count) => sum + count, 0)).toBe(log.ready);
    expect(reading.length).toBeLessThanOrEqual(8);
    for (let index = 1; index < reading.length; index++) expect(reading[index]!.at - reading[index - 1]!.at).toBeGreaterThanOrEqual(90);
  });

  it('without one, reads again as soon as a commit wakes it', async () => {
    const log = new GrowingLog();
    const delivered = subscribe(log, { batchSize: 1_000 });
    await trickle(log, 600);
    await delay(50);
    expect(delivered.reduce((sum, count) => sum + count, 0)).toBe(log.ready);
    expect(log.reads.filter((read) => read.count > 0).length).toBeGreaterThan(16);
  });

  it('reads full batches back to back: behind the head there is no wait', async () => {
    const log = new GrowingLog();
    log.ready = 5_000;
    const started = Date.now();
    const delivered = subscribe(log, { headReadIntervalMs: 1_000, batchSize: 500 });
    while (delivered.reduce((sum, count) => sum + count, 0) < 5_000) await delay(5);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('stops at once while it waits', async () => {
    const log = new GrowingLog();
    const delivered = subscribe(log, { headReadIntervalMs: 10_000, batchSize: 1_000 });
    log.append(3);
    while (delivered.length === 0) await delay(5);
    const stopping = Date.now();
    await subscriptions.pop()!.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
  });
});
