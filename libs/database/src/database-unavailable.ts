import { ConnectionLostError } from './connection-lost.error';
import { isConnectionFailure } from './describe-failure';

/**
 * PostgreSQL did not answer in time: no connection opened within the connect timeout (the
 * server accepts TCP but never answers, a host gone without a reset), whether the pool's or a
 * dedicated one (LISTEN, advisory locks), or every connection of the pool stayed busy that long.
 * `code` ETIMEDOUT for the first, so that it reads as a connection failure wherever one is
 * recognised; the second is the pool's own state.
 */
export class DatabaseTimeoutError extends Error {
  override readonly name = 'DatabaseTimeoutError';
  readonly code: 'ETIMEDOUT' | 'POOL_EXHAUSTED';
  /** Try again later: nothing is wrong with the work, so a projection retries its batch instead of parking events. */
  readonly transient = true;

  constructor(
    readonly reason: 'connect' | 'pool',
    timeoutMs: number,
    options: { readonly cause?: unknown; readonly poolSize?: number; readonly connectingFor?: string } = {},
  ) {
    const pool = options.poolSize === undefined ? "the pool's" : `the pool's ${options.poolSize}`;
    const connection = options.connectingFor === undefined ? 'a new connection' : `a new connection for ${options.connectingFor}`;
    super(
      reason === 'connect'
        ? `PostgreSQL did not answer ${connection} within ${timeoutMs} ms`
        : `none of ${pool} PostgreSQL connections came free within ${timeoutMs} ms`,
      { cause: options.cause },
    );
    this.code = reason === 'connect' ? 'ETIMEDOUT' : 'POOL_EXHAUSTED';
  }
}

/**
 * node-postgres's messages for a connection not opened within connectionTimeoutMillis, which it
 * gives no code: pg-pool's for a pooled connection, pg's own for a lone Client's.
 */
const CONNECT_TIMEOUTS = new Set(['Connection terminated due to connection timeout', 'timeout expired']);
/** pg-pool's message for a caller that waited that long for a connection of a full pool. */
const POOL_WAIT_TIMEOUT = 'timeout exceeded when trying to connect';

/**
 * A connect timeout of node-postgres as DatabaseTimeoutError, saying what the connection was
 * for (a dedicated connection's failure otherwise reads as a bare "timeout expired"); any other
 * error (refused, a failed login) as it is.
 */
export function typedConnectTimeout(error: unknown, timeoutMs: number, connectingFor?: string): unknown {
  if (!(error instanceof Error) || !CONNECT_TIMEOUTS.has(error.message)) return error;
  return new DatabaseTimeoutError('connect', timeoutMs, { cause: error, connectingFor });
}

/** pg-pool's timeout errors as DatabaseTimeoutError; any other error as it is. */
export function typedPoolTimeout(error: unknown, timeoutMs: number, poolSize: number): unknown {
  if (error instanceof Error && error.message === POOL_WAIT_TIMEOUT) return new DatabaseTimeoutError('pool', timeoutMs, { cause: error, poolSize });
  return typedConnectTimeout(error, timeoutMs);
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
