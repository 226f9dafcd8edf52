import { END, excludeSystemEvents, type AllStreamSubscription, type EventStoreDBClient } from '@eventstore/db-client';

const RESUBSCRIBE_MS = 5000;

/**
 * Wake-ups for the polling subscriptions: one live EventStoreDB subscription to the end of
 * $all (system events filtered by the server) per store, shared by every subscriber, plus
 * immediate wake-ups after this process's own appends. Delivery itself stays with
 * PollingSubscription over readAll, which gives the port's ordering and back-pressure
 * guarantees; a lost wake-up (the live feed dropped) only delays a reader to its next poll.
 */
export class EsdbLiveWakeups {
  private readonly wakers = new Set<() => void>();
  private live?: AllStreamSubscription;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** Registers a waker; resolves to its unsubscribe function. */
  async add(wake: () => void): Promise<() => Promise<void>> {
    this.wakers.add(wake);
    this.ensureLive();
    return async () => {
      this.wakers.delete(wake);
      if (this.wakers.size === 0) await this.stopLive();
    };
  }

  /** After an append by this process: no need to wait for the server's echo. */
  wakeAll(): void {
    for (const wake of this.wakers) wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakers.clear();
    await this.stopLive();
  }

  private ensureLive(): void {
    if (this.live || this.retryTimer || this.closed) return;
    const live = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    this.live = live;
    live.on('data', () => this.wakeAll());
    live.on('error', (error: Error) => {
      this.onError(error);
      if (this.live === live) this.live = undefined;
      if (this.closed || this.wakers.size === 0) return;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        if (this.wakers.size > 0) this.ensureLive();
      }, RESUBSCRIBE_MS);
      this.retryTimer.unref();
    });
  }

  private async stopLive(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const live = this.live;
    this.live = undefined;
    await live?.unsubscribe().catch(() => undefined);
  }
}
