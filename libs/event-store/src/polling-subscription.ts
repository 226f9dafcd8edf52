import { performance } from 'node:perf_hooks';
import { EventStoreError } from './errors';
import type { Checkpoint, GlobalBatch, SubscribeOptions, Subscription } from './event-store.port';
import { START } from './event-store.port';

export interface LogSource {
  read(after: Checkpoint, limit: number): Promise<GlobalBatch>;
  /** Committed events past `after` that are not readable yet (an older transaction is open). */
  hasHidden(after: Checkpoint): Promise<boolean>;
  /** Registers a wake-up for new commits; resolves to an unsubscribe function. */
  onWake(wake: () => void): Promise<() => Promise<void>>;
}

const HIDDEN_BACKOFF_MS = { first: 2, max: 100 };
const READ_RETRY_MS = { first: 100, max: 5000 };
const RELISTEN_MS = 5000;

/**
 * Catch-up then live: reads pages until the log is exhausted, then sleeps until a commit
 * wakes it (or `maxIdleMs`, should a wake-up be lost). Each batch is handed over only after
 * the previous one's handler has resolved, so checkpoints never run ahead. Read errors from
 * the database are retried with backoff; a store error about the events themselves (an
 * upcaster failing) or a handler error ends the subscription, since retrying cannot help.
 */
export class PollingSubscription implements Subscription {
  readonly done: Promise<void>;
  private stopped = false;
  private dirty = true;
  private inHandler = false;
  /** Ends the wait under way (a sleep or a pause). */
  private endWait?: () => void;
  /** Whether a commit's wake-up ends the wait under way: a sleep's, not a pause's. */
  private wakeEndsWait = false;
  private unlisten?: () => Promise<void>;
  private nextListenAt = 0;

  constructor(
    private readonly source: LogSource,
    private readonly handler: (batch: GlobalBatch) => Promise<void>,
    private readonly options: SubscribeOptions,
  ) {
    this.done = this.run();
    // The rejection belongs to whoever awaits `done`; it must not also crash the process.
    this.done.catch(() => undefined);
  }

  /** From inside the handler it only asks to stop: awaiting `done` there would wait for itself. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.endWait?.();
    if (!this.inHandler) await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    const maxIdleMs = this.options.maxIdleMs ?? 1000;
    const headReadIntervalMs = this.options.headReadIntervalMs ?? 0;
    let after = this.options.from ?? START;
    let hiddenBackoff = HIDDEN_BACKOFF_MS.first;
    let retryBackoff = READ_RETRY_MS.first;
    try {
      while (!this.stopped) {
        await this.listen();
        this.dirty = false;
        let batch: GlobalBatch;
        let hidden: boolean;
        const readAt = performance.now();
        try {
          batch = await this.source.read(after, batchSize);
          hidden = batch.events.length === 0 && !this.dirty && (await this.source.hasHidden(after));
          retryBackoff = READ_RETRY_MS.first;
        } catch (error) {
          if (error instanceof EventStoreError) throw error;
          this.options.onError?.(error as Error);
          await this.wait(retryBackoff, true);
          retryBackoff = Math.min(retryBackoff * 2, READ_RETRY_MS.max);
          continue;
        }
        if (batch.events.length > 0) {
          if (this.stopped) break;
          await this.deliver(batch);
          after = batch.checkpoint;
          hiddenBackoff = HIDDEN_BACKOFF_MS.first;
          const pause = readAt + headReadIntervalMs - performance.now();
          if (batch.events.length < batchSize && pause > 0) await this.wait(pause, false);
        } else if (hidden) {
          await this.wait(hiddenBackoff, true);
          hiddenBackoff = Math.min(hiddenBackoff * 2, HIDDEN_BACKOFF_MS.max);
        } else if (!this.dirty) {
          await this.wait(maxIdleMs, true);
        }
      }
    } finally {
      await this.unlisten?.().catch(() => undefined);
    }
  }

  private async deliver(batch: GlobalBatch): Promise<void> {
    this.inHandler = true;
    try {
      await this.handler(batch);
    } finally {
      this.inHandler = false;
    }
  }

  /** Registers for wake-ups, and tries again now and then while that fails (polling meanwhile). */
  private async listen(): Promise<void> {
    if (this.unlisten || Date.now() < this.nextListenAt) return;
    try {
      this.unlisten = await this.source.onWake(() => {
        this.dirty = true;
        if (this.wakeEndsWait) this.endWait?.();
      });
    } catch (error) {
      this.options.onError?.(error as Error);
      this.nextListenAt = Date.now() + RELISTEN_MS;
    }
  }

  /**
   * Waits `ms`, cut short by stop(), and by a commit's wake-up when `wakeEnds`. The pause after a
   * short batch is not: under a steady stream every commit wakes the reader, and ending the wait
   * there would bring back the batches of an event or two that the head read interval is for.
   */
  private wait(ms: number, wakeEnds: boolean): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const finish = () => {
        clearTimeout(timer);
        this.endWait = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.endWait = finish;
      this.wakeEndsWait = wakeEnds;
    });
  }
}
