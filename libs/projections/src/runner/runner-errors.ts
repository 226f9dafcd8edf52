/**
 * The generation row no longer names this process as its writer, or has moved on without it:
 * another process took the projection over, or a swap retired the generation. Nothing is
 * written; the runner stops.
 */
export class FencedOutError extends Error {
  constructor(readonly projection: string, readonly generation: number) {
    super(`projection ${projection} generation ${generation} is no longer ours to write (taken over, swapped or frozen)`);
    this.name = 'FencedOutError';
  }
}

/** SQLSTATE classes that say "try again later", not "this event is wrong". */
const TRANSIENT_CLASSES = new Set([
  '08', // connection exception
  '40', // transaction rollback: serialization failure, deadlock
  '53', // insufficient resources
  '57', // operator intervention: admin shutdown, query canceled
  '58', // system error (I/O)
]);
const NODE_NETWORK_CODES = /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|NOTFOUND|HOSTUNREACH|NETUNREACH|AI_AGAIN)$/;
const UNAVAILABLE_MESSAGES = /connection terminated|connection.*(closed|ended)|client (was|is|has been) closed|client has encountered a connection error|cannot use a pool after calling end|timeout exceeded when trying to connect|pglite is closed|database is closed/i;

/**
 * Whether an error means the database (or the connection to it) is unavailable, or the
 * transaction lost a race. Such an error is never pinned on an event: parking it would
 * skip an event because of an outage. The batch is retried instead.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (isMarkedTransient(error)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_CLASSES.has(code.slice(0, 2));
    if (NODE_NETWORK_CODES.test(code)) return true;
  }
  return UNAVAILABLE_MESSAGES.test(error.message);
}

/**
 * A projection whose batch has an effect outside the database (the escalation process manager
 * enqueues jobs in Redis) marks "that service is away" with `transient = true`: the batch
 * and its checkpoint wait for it, exactly as for a database outage, instead of parking events.
 */
function isMarkedTransient(error: Error): boolean {
  return (error as { transient?: unknown }).transient === true;
}

/** An error a projection raised about an event: the event is parked and the rest go on. */
export function isParkable(error: unknown): boolean {
  return !(error instanceof FencedOutError) && !isTransientDatabaseError(error);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
