/**
 * One line saying why something failed, for people: the error's message, or, where Node leaves
 * it empty (an AggregateError from connecting to `localhost`, which tries ::1 and 127.0.0.1),
 * the messages of the errors it gathers, else its code.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== '') return error.message;
  const gathered = error instanceof AggregateError ? [...new Set(error.errors.map(describeFailure))].filter((message) => message !== '') : [];
  if (gathered.length > 0) return gathered.join('; ');
  const { code } = error as { code?: unknown };
  return typeof code === 'string' ? code : error.name;
}

/** Codes of a connection that did not open: the server is not there, not reachable, or refused the login. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', '28P01', '28000', '3D000']);

export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return error instanceof AggregateError && error.errors.some(isConnectionFailure);
}
