import type { ExpectedRevision } from './event-store.port';

/** Base class so one exception filter can map every store error to a 4xx. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${actual === -1 ? 'no stream' : actual}`);
  }
}

/**
 * PostgreSQL aborted this write to break a deadlock: another transaction held streams it needed
 * while waiting for streams it held (two bulk imports naming the same accounts in other orders).
 * Nothing of it was stored; it may be retried as it is.
 */
export class WriteDeadlockError extends EventStoreError {
  readonly code = 'WRITE_DEADLOCK';
  constructor() {
    super('Another write held streams this one needed while it waited for streams this one held; nothing was stored, and it may be retried');
  }
}

/** An event id that is already stored in another stream, or a batch only partly stored before. */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(readonly eventIds: readonly string[], detail: string) {
    super(`Event id ${eventIds.join(', ')}: ${detail}`);
  }
}

/** Input the store cannot record as given (bad id, date, shape, characters PostgreSQL rejects). */
export class InvalidEventError extends EventStoreError {
  readonly code = 'INVALID_EVENT';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A stored event that the upcasters cannot turn into its current version. */
export class UpcastFailedError extends EventStoreError {
  readonly code = 'UPCAST_FAILED';
  constructor(
    readonly eventId: string,
    readonly type: string,
    readonly schemaVersion: number,
    cause: unknown,
  ) {
    super(`Event ${eventId} (${type} v${schemaVersion}) cannot be upcast: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/**
 * An event in a stream of the engine that the engine did not write: another client of the
 * database appended it. The stream cannot be read as the engine's until someone deals with it.
 */
export class ForeignEventError extends EventStoreError {
  readonly code = 'STREAM_BROKEN';
  constructor(readonly streamId: string, readonly revision: number, detail: string) {
    super(`${streamId}@${revision} was not written by the engine (${detail})`);
  }
}
