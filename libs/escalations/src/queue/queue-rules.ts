import { PermanentJobError, type QueuedJob, type RetryPolicy } from './escalation-queue.port';

/** The rules both adapters share, so the embedded mode behaves as the server mode does. */

export type FailureOutcome = { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'dead-letter' };

/** A failed attempt is retried after an exponential backoff, or dead-lettered after the last attempt or a PermanentJobError. */
export function failureOutcome(policy: RetryPolicy, attempt: number, error: unknown): FailureOutcome {
  if (error instanceof PermanentJobError || attempt >= policy.attempts) return { kind: 'dead-letter' };
  return { kind: 'retry', delayMs: retryDelayMs(policy.backoffMs, attempt) };
}

/**
 * The longest wait before a retry. Uncapped, baseMs × 2^(n−1) outgrows any date within a few
 * dozen attempts (1 h × 2^43 is past the year 275760): a retry must stay a retry.
 */
export const MAX_RETRY_DELAY_MS = 24 * 60 * 60 * 1000;

/** The n-th retry waits baseMs × 2^(n−1), as BullMQ's exponential backoff does, at most MAX_RETRY_DELAY_MS. */
export function retryDelayMs(backoffMs: number, failedAttempt: number): number {
  if (!(backoffMs > 0)) return 0;
  // 2^n overflows to Infinity, never to NaN: min() caps it.
  return Math.min(backoffMs * 2 ** Math.max(0, failedAttempt - 1), MAX_RETRY_DELAY_MS);
}

/** BullMQ rejects `:` in ids; both adapters refuse the whole batch before any of it is stored. */
export function checkJobIds(jobs: readonly QueuedJob[]): void {
  for (const { id } of jobs) {
    if (id.length === 0 || id.includes(':')) throw new Error(`escalation job id ${JSON.stringify(id)} must be non-empty and contain no ':'`);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
