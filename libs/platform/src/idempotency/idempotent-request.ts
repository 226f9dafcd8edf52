import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { KeyStatement, StoredResponse } from './idempotency-keys.table';

export interface IdempotentRequest {
  readonly key: string;
  /** Whose key it is: the API key's id. Two clients may use the same Idempotency-Key. */
  readonly identity: string;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/** What `claimFirst` work may do with the claim it runs under. */
export interface KeyClaim {
  /**
   * The statement that turns the claim into `response`. Run in the work's own transaction, the
   * answer commits with the work or not at all: a retry after a COMMIT whose reply was lost
   * replays the answer instead of running the work again.
   */
  answer(response: StoredResponse): KeyStatement;
}

/** What an earlier attempt stored, found by the caller after the work failed (`recover`). */
export interface EarlierAttempt {
  /** requestHash of the request that stored it. */
  readonly requestHash: string;
  readonly response: StoredResponse;
}

export interface IdempotencyOptions {
  /**
   * Stores the key before `work` runs, so that the same request sent to another process
   * meanwhile gets a 409 (IDEMPOTENCY_KEY_IN_PROGRESS) instead of running again: for work whose
   * retries the store cannot recognise by event ids (an import's lines have none).
   */
  readonly claimFirst?: boolean;
  /**
   * After the work failed with no answer stored for the key: what an earlier attempt with the key
   * left in the store, if anything. Its COMMIT's reply may have been lost, so its answer was never
   * stored; the retry is refused by what it wrote (an entity that exists, an event id taken).
   */
  readonly recover?: () => Promise<EarlierAttempt | undefined>;
}

export interface IdempotentOutcome extends StoredResponse {
  /** True when the response is the one stored for an earlier request with the same key. */
  readonly replayed: boolean;
}

/** sha256 of method, path and the body in canonical JSON: key order and spacing do not matter. */
export function requestHash(request: Pick<IdempotentRequest, 'method' | 'path' | 'body'>): string {
  const body = request.body === undefined ? '' : (canonicalize(request.body) ?? '');
  return hash('sha256', `${request.method.toUpperCase()} ${request.path}\n${body}`, 'hex');
}
