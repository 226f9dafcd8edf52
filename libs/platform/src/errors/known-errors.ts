import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from '@ahe/database';
import { accountIdOfStream, DomainError } from '@ahe/domain';
import { DuplicateEventIdError, ForeignEventError, InvalidEventError, WrongExpectedRevisionError } from '@ahe/event-store';

/** The one error shape of the API (API.md, Conventions). */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  /** Stable machine-readable reason, e.g. ACCOUNT_NOT_FOUND, WRONG_EXPECTED_REVISION. */
  readonly code?: string;
  /** The input at fault, e.g. `contract.endsOn`, `If-Match`. */
  readonly field?: string;
  readonly details?: unknown;
}

/** The code of a 503 that an outage of PostgreSQL caused: the request itself was fine. */
export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';

const bodyOf = (statusCode: number, message: string, extra: Omit<ErrorBody, 'statusCode' | 'error' | 'message'>): ErrorBody => ({
  statusCode,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message,
  ...Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined)),
});

/**
 * The errors of the domain and of the event store, as the API answers them: a broken rule of
 * the domain with its own status, code and field; a revision conflict as 409 with the expected
 * and actual revisions; input the store refuses as 400 naming the field; a stream holding an event
 * the engine did not write as 409 STREAM_BROKEN, as an as-of read answers a broken stream; a
 * database that cannot be reached as 503. Undefined for others.
 */
export function knownErrorBody(exception: unknown): ErrorBody | undefined {
  if (exception instanceof DomainError) {
    return bodyOf(exception.status, exception.message, { code: exception.code, field: exception.field, details: exception.details });
  }
  if (exception instanceof WrongExpectedRevisionError) {
    const actual = exception.actual;
    return bodyOf(409, `The account changed meanwhile: expected revision ${String(exception.expected)}, it is at ${actual === -1 ? 'no revision (no such account)' : actual}`, {
      code: exception.code,
      details: { expected: exception.expected, actual },
    });
  }
  if (exception instanceof InvalidEventError) {
    return bodyOf(400, exception.message, { code: exception.code, field: exception.field });
  }
  if (exception instanceof DuplicateEventIdError) {
    return bodyOf(409, exception.message, { code: exception.code, details: { eventIds: exception.eventIds } });
  }
  if (exception instanceof ForeignEventError) return foreignEventBody(exception);
  if (isDatabaseUnavailable(exception)) {
    // What failed (a host, a port) stays in the server's log.
    return bodyOf(503, 'The database is unavailable; retry later', { code: DATABASE_UNAVAILABLE });
  }
  return undefined;
}

/** The request is fine, the stream is not: someone else's client wrote into it. */
function foreignEventBody(exception: ForeignEventError): ErrorBody {
  const { streamId, revision, message: reason } = exception;
  const accountId = accountIdOfStream(streamId);
  const verify = accountId === null ? undefined : `/v1/accounts/${accountId}/verify`;
  return bodyOf(409, `The stream ${streamId} cannot be read: its event at revision ${revision} was not written by the engine`
    + (verify ? `; GET ${verify} names where its hash chain breaks` : ''), {
    code: exception.code,
    details: { streamId, ...(accountId === null ? {} : { accountId }), revision, reason, ...(verify ? { verify } : {}) },
  });
}
