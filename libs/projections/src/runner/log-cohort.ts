import { compareCheckpoints, type Checkpoint, type EventStore, type GlobalBatch, type ReadPacing, type Subscription } from '@ahe/event-store';

/** What the shared log needs of a runner. */
export interface LogReader {
  /** Takes the next batch; resolves once the reader can take another (its previous write done). */
  handOver(batch: GlobalBatch): Promise<void>;
  /** True while the reader may wait for others of its cohort (a generation being built). */
  readonly paced: boolean;
}

export interface FeedOptions {
  readonly from: Checkpoint;
  readonly batchSize: number;
  /** Whether the events handed over carry their metadata (see ProjectionDefinition.readsMetadata). */
  readonly metadata: boolean;
  /** How the store subscription paces its reads at the head; default the store's. */
  readonly pacing?: ReadPacing;
  readonly onError: (error: Error) => void;
}

/** A reader's supply of batches: stop() and done as a store subscription's. */
export interface LogFeed {
  stop(): Promise<void>;
  readonly done: Promise<void>;
  /** Leaves the cohort, if in one, and reads on alone from the last batch handed over. */
  readAlone(): void;
}

/** What a cohort calls back into: the shared log that opened it (SharedLog implements it). */
export interface CohortHost {
  /** Runs the cohort's first read once the log is no longer held, so readers taken together join it first (SharedLog.hold). */
  whenReleased(start: () => void): void;
  /** The cohort has ended: no reader may join it any more. */
  closed(cohort: Cohort): void;
  /** The cohort has moved to a new position: cohorts already there, reading alike, fold into it to share its reads. */
  merge(into: Cohort): void;
}

/** Paced readers at one checkpoint, fed by one subscription (see SharedLog). */
export class Cohort {
  position: Checkpoint;
  readonly batchSize: number;
  readonly metadata: boolean;
  private readonly members = new Set<ReaderFeed>();
  private subscription?: Subscription;
  private ended = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: FeedOptions,
    private readonly log: CohortHost,
  ) {
    this.position = options.from;
    this.batchSize = options.batchSize;
    this.metadata = options.metadata;
    log.whenReleased(() => this.read());
  }

  private read(): void {
    if (this.ended) return;
    const subscription = this.store.subscribe((batch) => this.deliver(batch), {
      ...this.options.pacing,
      from: this.options.from,
      batchSize: this.options.batchSize,
      metadata: this.options.metadata,
      onError: (error) => {
        for (const member of this.members) member.options.onError(error);
      },
    });
    this.subscription = subscription;
    subscription.done.then(
      () => this.close(),
      (error: unknown) => {
        this.close();
        for (const member of [...this.members]) member.fail(error);
      },
    );
  }

  /** A new member at `from` takes exactly the batches after it: the next one this cohort hands over. */
  accepts(reading: Pick<FeedOptions, 'batchSize' | 'metadata' | 'from'>): boolean {
    return !this.ended && this.batchSize === reading.batchSize && this.metadata === reading.metadata && compareCheckpoints(this.position, reading.from) === 0;
  }

  join(feed: ReaderFeed): void {
    this.members.add(feed);
    feed.cohort = this;
  }

  leave(feed: ReaderFeed): void {
    this.members.delete(feed);
    if (feed.cohort === this) feed.cohort = undefined;
    if (this.members.size === 0) this.close();
  }

  moveTo(other: Cohort): void {
    for (const member of [...this.members]) {
      this.members.delete(member);
      other.join(member);
    }
    this.close();
  }

  private close(): void {
    if (this.ended) return;
    this.ended = true;
    this.log.closed(this);
    void this.subscription?.stop();
  }

  /** Hands `batch` to every member before the first await: all have it once `position` moved. */
  private async deliver(batch: GlobalBatch): Promise<void> {
    this.position = batch.checkpoint;
    const members = [...this.members];
    this.log.merge(this);
    await Promise.all(
      members.map(async (member) => {
        if (!member.reader.paced) {
          this.leave(member);
          return member.readAloneAfter(batch);
        }
        try {
          await member.take(batch);
        } catch (error) {
          this.leave(member);
          member.fail(error);
        }
      }),
    );
  }
}

/** One reader's batches: from its cohort while in one, from a subscription of its own otherwise. */
export class ReaderFeed implements LogFeed {
  readonly done: Promise<void>;
  cohort?: Cohort;
  private own?: Subscription;
  private stopped = false;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };

  constructor(
    private readonly store: EventStore,
    readonly reader: LogReader,
    readonly options: FeedOptions,
  ) {
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined);
  }

  take(batch: GlobalBatch): Promise<void> {
    return this.stopped ? Promise.resolve() : this.reader.handOver(batch);
  }

  readAlone(): void {
    const cohort = this.cohort;
    if (!cohort || this.stopped) return;
    // Every member has been handed the batch up to the cohort's position (see Cohort.deliver).
    cohort.leave(this);
    this.subscribeFrom(cohort.position);
  }

  subscribeFrom(from: Checkpoint): void {
    if (this.stopped) return;
    const own = this.store.subscribe((batch) => this.take(batch), {
      ...this.options.pacing,
      from,
      batchSize: this.options.batchSize,
      metadata: this.options.metadata,
      onError: this.options.onError,
    });
    this.own = own;
    own.done.then(() => this.settle.resolve(), (error: unknown) => this.settle.reject(error));
  }

  /** Leaves its cohort at a batch boundary: takes `batch`, then reads on from its end alone. */
  async readAloneAfter(batch: GlobalBatch): Promise<void> {
    const taken = this.take(batch);
    this.subscribeFrom(batch.checkpoint);
    await taken.catch((error: unknown) => this.fail(error));
  }

  fail(error: unknown): void {
    this.stopped = true;
    void this.own?.stop();
    this.settle.reject(error);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cohort?.leave(this);
    if (this.own) await this.own.stop();
    else this.settle.resolve();
  }
}
