import { InvalidEventError, WrongExpectedRevisionError } from '../errors';
import type { ExpectedRevision } from '../event-store.port';
import { fromCurrentRevision } from './esdb-positions';

/**
 * The client's error types are told apart by their `type` string (its ErrorType enum), so
 * this mapping is pure and testable without a server or the client's classes.
 */
interface ClientError {
  readonly type?: unknown;
  readonly actualVersion?: 'no_stream' | bigint;
  readonly maxAppendSize?: number;
  readonly message?: string;
}

const TYPE = {
  wrongExpectedVersion: 'wrong-expected-version',
  streamNotFound: 'stream-not-found',
  streamDeleted: 'stream-deleted',
  maxAppendSize: 'maximum-append-size-exceeded',
} as const;

function typeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as ClientError).type : undefined;
}

export function isWrongExpectedVersion(error: unknown): boolean {
  return typeOf(error) === TYPE.wrongExpectedVersion;
}

/** A read of a stream that does not exist (or was deleted): the port reads it as empty. */
export function isStreamNotFound(error: unknown): boolean {
  return typeOf(error) === TYPE.streamNotFound || typeOf(error) === TYPE.streamDeleted;
}

/** The revision the server reported in a WrongExpectedVersion, -1 for "no stream". */
export function actualRevisionOf(error: unknown): number {
  return fromCurrentRevision((error as ClientError).actualVersion);
}

/**
 * Maps what an append can get back from the client to the port's errors; anything not about
 * the request itself (unavailable, deadline, not leader) passes through for the caller to retry.
 */
export function toPortError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  switch (typeOf(error)) {
    case TYPE.wrongExpectedVersion:
      return new WrongExpectedRevisionError(streamId, expected, actualRevisionOf(error));
    case TYPE.maxAppendSize:
      return new InvalidEventError(
        `the batch is larger than EventStoreDB's maximum append size (${(error as ClientError).maxAppendSize ?? '?'} bytes)`, 'events',
      );
    case TYPE.streamDeleted:
      return new InvalidEventError(`stream ${streamId} was deleted in EventStoreDB and cannot be written again`, 'streamId');
    default:
      return error;
  }
}
