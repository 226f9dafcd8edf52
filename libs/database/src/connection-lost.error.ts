/** SQLSTATE connection_failure: what callers that retry on an outage already recognise. */
export const CONNECTION_FAILURE = '08006';

/**
 * The server ended the connection a transaction was on (idle-in-transaction timeout,
 * pg_terminate_backend, a restart, a network cut): the server rolls the transaction back, so its
 * work must be done again on a fresh connection. `cause` is what the server or socket said.
 */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
  readonly code = CONNECTION_FAILURE;

  constructor(override readonly cause: Error) {
    super(`the database connection was lost during a transaction, which did not commit (or, if lost during COMMIT, may have): ${describeCause(cause)}`, { cause });
  }
}

export function describeCause(cause: Error): string {
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? `${cause.message} (${code})` : cause.message;
}
