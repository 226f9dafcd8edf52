import { ConnectionLostError } from './connection-lost.error';
import { isConnectionFailure } from './describe-failure';

/**
 * PostgreSQL did not answer in time: no connection opened within the connect timeout (the
 * server accepts TCP but never answers, a host gone without a reset), or every connection of
 * the pool stayed busy that long. `code` ETIMEDOUT for the first, so that it reads as a
 * connection failure wherever one is recognised; the second is the pool's own state.
 */
export class DatabaseTimeoutError extends Error {
  override readonly name = 'DatabaseTimeoutError';
  readonly code: 'ETIMEDOUT' | 'POOL_EXHAUSTED';
  /** Try again later: nothing is wrong with the work, so a projection retries its batch instead of parking events. */
  readonly transient = true;

  constructor(
    readonly reason: 'connect' | 'pool',
    timeoutMs: number,
    options: { readonly cause?: unknown; readonly poolSize?: number } = {},
  ) {
    const pool = options.poolSize === undefined ? "the pool's" : `the pool's ${options.poolSize}`;
    super(
      reason === 'connect'
        ? `PostgreSQL did not answer a new connection within ${timeoutMs} ms`
        : `none of ${pool} PostgreSQL connections came free within ${timeoutMs} ms`,
      { cause: options.cause },
    );
    this.code = reason === 'connect' ? 'ETIMEDOUT' : 'POOL_EXHAUSTED';
  }
}

/** pg-pool's own messages for its two timeouts (it gives them no code). */
const POOL_CONNECT_TIMEOUT = 'Connection terminated due to connection timeout';
const POOL_WAIT_TIMEOUT = 'timeout exceeded when trying to connect';

/** pg-pool's timeout errors as DatabaseTimeoutError; any other error as it is. */
export function typedPoolTimeout(error: unknown, timeoutMs: number, poolSize: number): unknown {
  if (!(error instanceof Error)) return error;
  if (error.message === POOL_CONNECT_TIMEOUT) return new DatabaseTimeoutError('connect', timeoutMs, { cause: error });
  if (error.message === POOL_WAIT_TIMEOUT) return new DatabaseTimeoutError('pool', timeoutMs, { cause: error, poolSize });
  return error;
}

/**
 * SQLSTATEs of a server that cannot take the work now: connection exceptions (not 08P01, a
 * protocol violation, which is a client's bug), too many connections, shutting down or starting.
 */
const UNAVAILABLE_STATES = new Set(['08000', '08001', '08003', '08004', '08006', '08007', '53300', '57P01', '57P02', '57P03']);

/**
 * The database could not do the work now, through no fault of the request: it refused or did
 * not answer the connection, dropped it, is shutting down or starting, or the pool stayed full.
 * The same request may succeed on a retry.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseTimeoutError || error instanceof ConnectionLostError) return true;
  if (isConnectionFailure(error)) return true;
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_STATES.has(code)) return true;
  // node-postgres's words for a socket the server closed without an error message.
  return error.message === 'Connection terminated unexpectedly' || error.message === 'Connection terminated';
}
