/**
 * The EventStore port. Every adapter (PostgreSQL, embedded PGlite, EventStoreDB) passes the
 * one contract suite in `event-store.contract.ts`.
 */

/** Revisions are 0-based per stream; -1 means "no event yet". */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

/**
 * A position in the global log. On PostgreSQL `commit` is the writing transaction's id and
 * `prepare` the row's sequence number (the order readers use); on EventStoreDB they are the
 * $all commit and prepare positions. Compared as the pair (commit, prepare).
 */
export interface Checkpoint {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: Checkpoint = Object.freeze({ commit: 0n, prepare: 0n });

export interface EventMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: string;
  readonly idempotencyKey?: string;
  /** With idempotencyKey: the hash of the request the events were stored for (the API's requestHash). */
  readonly idempotencyRequest?: string;
  /** sha256(previousHash ‖ canonical JSON of the event), hex. Set by the store. */
  readonly hash: string;
  readonly previousHash: string;
  readonly [extra: string]: unknown;
}

export interface EventEnvelope<Type extends string = string, Data = unknown> {
  readonly eventId: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly revision: number;
  readonly globalPosition: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** What a writer hands the store; the store assigns revision, position, recordedAt and hashes. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly eventId?: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly occurredAt: Date | string;
  readonly data: Data;
  readonly metadata?: Omit<EventMetadata, 'hash' | 'previousHash'>;
}

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the last event of the batch (the stream's revision after the append). */
  readonly revision: number;
  readonly firstRevision: number;
  /** Global position of the last event of the batch. */
  readonly position: number;
  readonly eventIds: readonly string[];
  readonly checkpoint: Checkpoint;
  /** True when every event id was already in the stream and nothing was appended. */
  readonly duplicate: boolean;
}

export type TimeAxis = 'occurred' | 'recorded';

export interface ReadStreamOptions {
  readonly direction?: 'forward' | 'backward';
  /** Inclusive. Forward default 0, backward default the last revision. */
  readonly fromRevision?: number;
  readonly limit?: number;
  /** Only events at or before this instant on the given axis. */
  readonly asOf?: { readonly at: Date; readonly axis: TimeAxis };
}

/**
 * What an event read without its metadata carries instead (ReadAllOptions.metadata): empty
 * hashes, never mistaken for a stored event's (a sha256 in hex).
 */
export const UNREAD_METADATA: EventMetadata = Object.freeze({ hash: '', previousHash: '' });

/** Options of the global log's reads (readAll, subscribe). */
interface LogReadOptions {
  /**
   * false: each event's `metadata` is UNREAD_METADATA, for readers that never look at it (the
   * read models). An adapter may then skip fetching and decoding it, most of an event's bytes;
   * one that does not (EventStoreDB) returns it anyway. Default true.
   */
  readonly metadata?: boolean;
}

export interface ReadAllOptions extends LogReadOptions {
  readonly after?: Checkpoint;
  readonly limit?: number;
}

export interface GlobalBatch {
  readonly events: readonly EventEnvelope[];
  /** Position of the last event in `events` (or `after` when empty): pass it as the next `after`. */
  readonly checkpoint: Checkpoint;
}

/** How often a subscription reads the log once it has caught up with it. */
export interface ReadPacing {
  /** Longest wait between polls when no wake-up arrives. */
  readonly maxIdleMs?: number;
  /**
   * After a batch short of `batchSize` (the head of the log), the next read starts no sooner than
   * this after the one before it started: at a steady rate of appends, fewer and larger batches,
   * each up to this much later. Default 0.
   */
  readonly headReadIntervalMs?: number;
}

export interface SubscribeOptions extends LogReadOptions, ReadPacing {
  readonly from?: Checkpoint;
  readonly batchSize?: number;
  /** Told of read errors; the subscription retries them with backoff rather than ending. */
  readonly onError?: (error: Error) => void;
}

export interface Subscription {
  /** Resolves once the handler has finished its current batch and no further one will start. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves on stop(), rejects when the handler throws. */
  readonly done: Promise<void>;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly checked: number;
  readonly brokenAt?: number;
  readonly reason?: string;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expected?: ExpectedRevision): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<EventEnvelope[]>;
  /** -1 when the stream does not exist. */
  streamRevision(streamId: string): Promise<number>;
  readAll(options?: ReadAllOptions): Promise<GlobalBatch>;
  subscribe(handler: (batch: GlobalBatch) => Promise<void>, options?: SubscribeOptions): Subscription;
  verifyStream(streamId: string): Promise<VerifyResult>;
  /** Cheap round trip for readiness checks; throws when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
