import { performance } from 'node:perf_hooks';
import type { SqlClient } from '@ahe/database';
import type { Checkpoint, GlobalBatch, ReadPacing } from '@ahe/event-store';
import type { ProjectionDefinition } from '../projection.definition';
import { BatchWriter, type ParkedEvent } from './batch-writer';
import { Mutex, Throughput } from './mutex';
import type { LogFeed, SharedLog } from './shared-log';

export interface RunnerOptions {
  readonly sql: SqlClient;
  /** Where the runner's batches come from: read with other generations built from the same checkpoint. */
  readonly log: SharedLog;
  readonly definition: ProjectionDefinition;
  readonly generation: number;
  readonly from: Checkpoint;
  readonly position: number | null;
  readonly ownerToken: string;
  readonly batchSize: number;
  readonly clock: () => Date;
  /** How its feed reads the log at the head; default the store's. */
  readonly pacing?: ReadPacing;
  /** Runs after each committed batch, still in turn with the next one (the swap check lives here). */
  readonly afterBatch: (report: BatchReport) => Promise<void>;
  readonly onReadError: (error: Error) => void;
}

export interface BatchReport {
  readonly runner: GenerationRunner;
  readonly batch: GlobalBatch;
  readonly parked: readonly ParkedEvent[];
  readonly seconds: number;
  readonly reachedHead: boolean;
}

/**
 * Keeps one generation of one projection up to date: catch-up then live through the store's
 * subscription (woken by commits, not by a timer; shared with the generations built from the
 * same checkpoint, see SharedLog), one transaction per batch. It ends when
 * stopped, or when a batch fails in a way parking cannot absorb; `done` says which.
 *
 * The next batch is read while the current one is written (read-ahead, one batch deep): the
 * database reads while this process folds, instead of each waiting for the other. A batch
 * handed over after one that failed is never written, so checkpoints still move in order.
 */
export class GenerationRunner {
  readonly generation: number;
  /** Last committed checkpoint: where the next batch's fence expects the row to be. */
  checkpoint: Checkpoint;
  position: number | null;
  /** Like `checkpoint`, but moved only once the batch's follow-up (a swap) is over too. */
  settled: Checkpoint;
  eventsProcessed = 0;
  /**
   * Reads in step with the other generations at its checkpoint (see SharedLog) until it reads
   * alone (readAlone): one being built until it is swapped in, a serving one until it first
   * reaches the head (a first catch-up, a projector that was down).
   */
  paced = true;
  private readonly mutex = new Mutex();
  private readonly throughput = new Throughput();
  private readonly writer: BatchWriter;
  private feed?: LogFeed;
  private ended?: Promise<void>;
  /** The write of the batch handed over last; the next hand-over waits for it. */
  private writing: Promise<void> = Promise.resolve();
  /** Settles once the batch handed over last has its write queued (hand-overs queue in call order). */
  private queued: Promise<void> = Promise.resolve();
  private failed = false;
  private failure!: (error: unknown) => void;
  private stopping = false;

  constructor(private readonly options: RunnerOptions) {
    this.generation = options.generation;
    this.checkpoint = this.settled = options.from;
    this.position = options.position;
    this.writer = new BatchWriter(options.sql, options, options.clock);
  }

  /** The fencing token of the lease it runs under. */
  get ownerToken(): string {
    return this.options.ownerToken;
  }

  /** Settles when the runner has ended: resolves after stop(), rejects with what ended it otherwise. */
  get done(): Promise<void> {
    if (!this.ended) throw new Error('runner not started');
    return this.ended;
  }

  start(): void {
    const feed = this.options.log.attach(this, {
      from: this.checkpoint,
      batchSize: this.options.batchSize,
      metadata: this.options.definition.readsMetadata !== false,
      pacing: this.options.pacing,
      onError: this.options.onReadError,
    });
    this.feed = feed;
    // A failed write of the last batch read leaves no hand-over to report it: it ends the runner itself.
    const writeFailed = new Promise<never>((_, reject) => (this.failure = reject));
    // A failed read ends the runner once the work handed over before it is done, the write of
    // the batch read before it above all: that write would otherwise land after the failure was
    // reported, and clear it. A hand-over may still be in its yield (a feed that reads on alone
    // starts reading at once, and PGlite on this thread answers within the microtask queue): its
    // write is queued first.
    const readEnded = feed.done.catch(async (error: unknown) => {
      await this.queued;
      await this.mutex.run(async () => undefined);
      throw error;
    });
    this.ended = Promise.race([readEnded, writeFailed]);
    this.ended.catch(() => undefined);
  }

  /** Swapped in, or serving and at the head: reads the log on its own from now on, in step with no other generation. */
  readAlone(): void {
    this.paced = false;
    this.feed?.readAlone();
  }

  /** Waits for the batch or refresh under way; no batch starts afterwards. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.feed?.stop();
    await this.mutex.run(async () => undefined);
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** Work that must not interleave with this generation's batches (refresh, swap). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.mutex.run(work);
  }

  /** Queues the batch's write and returns once the previous one is written: the log is read on meanwhile. */
  async handOver(batch: GlobalBatch): Promise<void> {
    // PGlite answers without leaving the microtask queue: a catch-up would otherwise starve
    // timers and HTTP requests of the all-in-one process until it ended. The yield comes before the
    // write is queued, so that a swap's hold on the serving runner (GenerationSwapper.holdServing)
    // can go ahead of its next batch: under writes that never pause, a serving runner whose every
    // batch queued at once would stay ahead of the building one, and the swap would never come.
    let markQueued!: () => void;
    this.queued = new Promise<void>((resolve) => (markQueued = resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const previous = this.writing;
    const writing = this.mutex.run(() => this.write(batch));
    markQueued();
    this.writing = writing.catch((error: unknown) => {
      this.failed = true;
      // Failure first: a cohort's feed resolves `done` as soon as it is stopped.
      this.failure(error);
      void this.feed?.stop();
      throw error;
    });
    this.writing.catch(() => undefined);
    await previous;
  }

  private async write(batch: GlobalBatch): Promise<void> {
    if (this.stopping || this.failed) return;
    const started = performance.now();
    const reachedHead = batch.events.length < this.options.batchSize;
    const parked = await this.writer.write(batch, { from: this.checkpoint, reachedHead, eventsPerSecond: this.throughput.rate(started) });
    const ended = performance.now();
    this.throughput.record(batch.events.length, started, ended);
    this.checkpoint = batch.checkpoint;
    this.position = batch.events[batch.events.length - 1]!.globalPosition;
    this.eventsProcessed += batch.events.length;
    await this.options.afterBatch({ runner: this, batch, parked, seconds: (ended - started) / 1000, reachedHead });
    this.settled = batch.checkpoint;
  }
}
