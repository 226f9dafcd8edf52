import { PermanentJobError, type QueuedJob, type RetryPolicy } from './escalation-queue.port';

/** The rules both adapters share, so the embedded mode behaves as the server mode does. */

export type FailureOutcome = { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'dead-letter' };

/** A failed attempt is retried after an exponential backoff, or dead-lettered after the last attempt or a PermanentJobError. */
export function failureOutcome(policy: RetryPolicy, attempt: number, error: unknown): FailureOutcome {
  if (error instanceof PermanentJobError || attempt >= policy.attempts) return { kind: 'dead-letter' };
  return { kind: 'retry', delayMs: retryDelayMs(policy.backoffMs, attempt) };
}

/** The n-th retry waits baseMs × 2^(n−1), as BullMQ's exponential backoff does. */
export function retryDelayMs(backoffMs: number, failedAttempt: number): number {
  return backoffMs * 2 ** (failedAttempt - 1);
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
