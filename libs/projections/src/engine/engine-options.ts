import type { SqlClient } from '@ahe/database';
import { MAX_READ_ALL_LIMIT, type EventStore, type ReadPacing } from '@ahe/event-store';
import type { ProjectionDefinition } from '../projection.definition';
import { SharedLog } from '../runner/shared-log';
import { assertBatchSize } from '../schema/projection-names';

export interface ProjectionLogger {
  log(message: string, context?: object): void;
  warn(message: string, context?: object): void;
  error(message: string, context?: object): void;
}

/** Callbacks the engine reports through; the Nest module turns them into Prometheus metrics. */
export interface ProjectionMetrics {
  /** `holder`: the fencing token of the supervisor whose runner applied it (one per lease taken). */
  batchApplied(sample: { name: string; generation: number; holder: string; events: number; seconds: number; position: number }): void;
  eventParked(sample: { name: string; generation: number; eventId: string; type: string; error: string }): void;
  /** Sampled on every heartbeat, for the serving generation of each projection this process owns. */
  lag(sample: { name: string; generation: number; events: number; seconds: number }): void;
  /**
   * A generation stopped running here (swapped out, held back, replaced, handed over, engine
   * stopped). A stop that ends late may come after the same process has taken the projection
   * back and runs that generation again under another `holder`.
   */
  generationStopped?(sample: { name: string; generation: number; holder: string }): void;
  /**
   * This process lets the projection go (its lock lost or released, fenced out, the engine
   * stopping), as soon as it starts to: no lag sample for it follows, until it takes it again.
   */
  projectionReleased?(sample: { name: string }): void;
}

export interface ProjectionEngineOptions {
  readonly sql: SqlClient;
  /** The log; a SqlEventStore must be on `sql`'s database (the lag is counted there). */
  readonly store: EventStore;
  readonly definitions: readonly ProjectionDefinition[];
  /** `ProjectionContext.now` of each batch and refresh (bookkeeping uses the wall clock). */
  readonly clock?: () => Date;
  /** Events per batch unless a definition says otherwise; default 500. */
  readonly batchSize?: number;
  /**
   * Events per batch of a generation being rebuilt (no reader waits on it, so fewer, larger
   * transactions win); default ten times the live batch size, at most 10,000 (the most one
   * readAll returns).
   */
  readonly rebuildBatchSize?: number;
  /** How often to try for projections another process holds; heartbeats run twice as often. Default 5000. */
  readonly lockRetryMs?: number;
  /** Default `${hostname}:${pid}`. */
  readonly owner?: string;
  readonly logger?: ProjectionLogger;
  readonly metrics?: ProjectionMetrics;
  /** Longest wait for new events when no commit wake-up arrives (default the store's, 1 s). */
  readonly maxIdleMs?: number;
  /**
   * At the head of the log, a generation's next read starts no sooner than this after its last
   * one started, so a steady stream of appends is applied in fewer, larger batches. Default
   * EMBEDDED_HEAD_READ_INTERVAL_MS on the embedded store, whose one connection every batch's
   * transaction holds in turn (appends wait behind them), and 0 on PostgreSQL.
   */
  readonly headReadIntervalMs?: number;
  /**
   * A generation that reaches the head of the log after applying at least this many events
   * here (a rebuild, a first catch-up) has its tables analyzed before it serves; default 10,000.
   */
  readonly analyzeAfterEvents?: number;
  /**
   * How long the log stays held after this process takes a rebuild request, so that rebuilds
   * requested together start their generations in one cohort, one read of the log for all (see
   * SharedLog); default 250 ms.
   */
  readonly rebuildGatherMs?: number;
}

export interface RebuildProgress {
  /** Global position of the last event the new generation has applied (0 before the first). */
  readonly position: number;
  /** Global position of the last event in the log. */
  readonly head: number;
  readonly eventsProcessed: number;
  /** eventsProcessed plus the events still to apply: the denominator of a progress bar. */
  readonly eventsTotal: number;
  readonly generation: number;
}

export const DEFAULT_BATCH_SIZE = 500;
const REBUILD_BATCH_FACTOR = 10;
export const DEFAULT_LOCK_RETRY_MS = 5_000;
const DEFAULT_ANALYZE_AFTER_EVENTS = 10_000;
/**
 * Each rebuild request comes with a notification of its own and each generation is set up on
 * its own (tables created, the request claimed), so the generations of rebuilds requested
 * together attach to the log tens of milliseconds apart. Without a wait the first read alone and
 * those after it read the whole log again in a cohort of their own, unless the later one caught
 * up with it at a batch boundary (the 1M-event log read twice in 3 of 10 rebuilds of all four
 * read models: 42-49 s against 29-36 s).
 */
const DEFAULT_REBUILD_GATHER_MS = 250;
/**
 * The embedded store's head read interval: long enough that a steady stream of appends leaves
 * room on the one connection for the appends themselves, short beside the live lag's budget.
 */
export const EMBEDDED_HEAD_READ_INTERVAL_MS = 100;

const quiet: ProjectionLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const noMetrics: ProjectionMetrics = { batchApplied: () => undefined, eventParked: () => undefined, lag: () => undefined };

/** Options with their defaults filled in, shared by the engine's parts. */
export interface EngineContext {
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly clock: () => Date;
  readonly batchSize: number;
  readonly rebuildBatchSize: number;
  readonly lockRetryMs: number;
  readonly owner: string;
  readonly logger: ProjectionLogger;
  readonly metrics: ProjectionMetrics;
  /** The engine options' maxIdleMs, and its headReadIntervalMs or the store kind's default. */
  readonly pacing: ReadPacing & { readonly headReadIntervalMs: number };
  readonly analyzeAfterEvents: number;
  readonly rebuildGatherMs: number;
  /** The engine's reader of the log, shared by the generations it builds. */
  readonly log: SharedLog;
}

export function engineContext(options: ProjectionEngineOptions, defaultOwner: string): EngineContext {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  assertBatchSize('batchSize', batchSize);
  if (options.rebuildBatchSize !== undefined) assertBatchSize('rebuildBatchSize', options.rebuildBatchSize);
  return {
    sql: options.sql,
    store: options.store,
    clock: options.clock ?? (() => new Date()),
    batchSize,
    rebuildBatchSize: options.rebuildBatchSize ?? Math.max(batchSize, Math.min(batchSize * REBUILD_BATCH_FACTOR, MAX_READ_ALL_LIMIT)),
    lockRetryMs: options.lockRetryMs ?? DEFAULT_LOCK_RETRY_MS,
    owner: options.owner ?? defaultOwner,
    logger: options.logger ?? quiet,
    metrics: options.metrics ?? noMetrics,
    pacing: {
      maxIdleMs: options.maxIdleMs,
      headReadIntervalMs: options.headReadIntervalMs ?? (options.sql.kind === 'embedded' ? EMBEDDED_HEAD_READ_INTERVAL_MS : 0),
    },
    analyzeAfterEvents: options.analyzeAfterEvents ?? DEFAULT_ANALYZE_AFTER_EVENTS,
    rebuildGatherMs: options.rebuildGatherMs ?? DEFAULT_REBUILD_GATHER_MS,
    log: new SharedLog(options.store),
  };
}
