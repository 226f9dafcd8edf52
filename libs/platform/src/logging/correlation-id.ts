import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { requestContext } from './request-context';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

const CORRELATION_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

const storage = new AsyncLocalStorage<string>();

function isValidCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID_PATTERN.test(value);
}

/**
 * The caller's id when it is safe to log and to echo in a header, a fresh UUID otherwise:
 * an id is never rejected, since a request must not fail over its tracing header.
 */
export function acceptOrGenerateCorrelationId(header: string | readonly string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return isValidCorrelationId(value) ? value : randomUUID();
}

/**
 * The correlation id of the work in progress: whatever a worker set with runWithCorrelationId,
 * else the HTTP request being served (its id rides in the request's logging context, see
 * request-context.ts). Undefined outside both (start-up, timers).
 */
export function currentCorrelationId(): string | undefined {
  return storage.getStore() ?? requestContext.getStore()?.correlationId;
}

/** Runs `work` with `correlationId` as the current one, e.g. for a job that continues a request. */
export function runWithCorrelationId<T>(correlationId: string, work: () => T): T {
  return storage.run(correlationId, work);
}
