import type { MinimalJob } from 'bullmq';
import { CAPPED_EXPONENTIAL_BACKOFF, cappedExponentialBackoff } from './bullmq-job-processor';
import { PermanentJobError } from './escalation-queue.port';
import { failedAttemptOutcome } from './job-outcomes';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from './queue-rules';

const HOUR_MS = 3_600_000;

describe('retry delays', () => {
  it('doubles from the base delay, as BullMQ’s exponential backoff does', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(1_000, attempt))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('caps the delay at 24 hours, however many attempts (ESCALATION_RETRY_ATTEMPTS=100, backoff 1 h)', () => {
    expect(MAX_RETRY_DELAY_MS).toBe(24 * HOUR_MS);
    expect(retryDelayMs(HOUR_MS, 5)).toBe(16 * HOUR_MS);
    expect(retryDelayMs(HOUR_MS, 6)).toBe(MAX_RETRY_DELAY_MS);
    const now = Date.now();
    for (let attempt = 1; attempt <= 10_000; attempt++) {
      const delay = retryDelayMs(HOUR_MS, attempt);
      expect(delay).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
      expect(Number.isNaN(new Date(now + delay).getTime())).toBe(false);
    }
    // 2^1100 is Infinity: still the cap, and a zero base stays zero rather than NaN.
    expect(retryDelayMs(HOUR_MS, 1_100)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(0, 1_100)).toBe(0);
  });

  it('turns every failed in-process attempt into a retry at a valid date, or a dead letter after the last', () => {
    const at = new Date('2026-03-01T00:00:00Z');
    const policy = { attempts: 100, backoffMs: HOUR_MS };
    for (let attempt = 1; attempt < 100; attempt++) {
      const outcome = failedAttemptOutcome(policy, attempt, new Error('503'), at);
      expect(outcome).toMatchObject({ kind: 'retry', error: '503', at });
      if (outcome.kind !== 'retry') throw new Error('unreachable');
      expect(outcome.runAt.getTime() - at.getTime()).toBe(retryDelayMs(HOUR_MS, attempt));
    }
    expect(failedAttemptOutcome(policy, 100, new Error('503'), at)).toEqual({ kind: 'dead-letter', error: '503', at });
    expect(failedAttemptOutcome(policy, 1, new PermanentJobError('gone'), at)).toEqual({ kind: 'dead-letter', error: 'gone', at });
    // No policy (an unknown queue): retried after the longest backoff rather than left active.
    expect(failedAttemptOutcome(undefined, 1, new Error('x'), at)).toEqual({ kind: 'retry', error: 'x', runAt: new Date(at.getTime() + MAX_RETRY_DELAY_MS), at });
  });

  it('gives BullMQ the same capped delays, from the base delay stored with the job', () => {
    const job = { opts: { backoff: { type: CAPPED_EXPONENTIAL_BACKOFF, delay: HOUR_MS } } } as MinimalJob;
    expect(cappedExponentialBackoff(1, CAPPED_EXPONENTIAL_BACKOFF, new Error('x'), job)).toBe(HOUR_MS);
    expect(cappedExponentialBackoff(3, CAPPED_EXPONENTIAL_BACKOFF, new Error('x'), job)).toBe(4 * HOUR_MS);
    expect(cappedExponentialBackoff(44, CAPPED_EXPONENTIAL_BACKOFF, new Error('x'), job)).toBe(MAX_RETRY_DELAY_MS);
    expect(() => cappedExponentialBackoff(1, 'linear', new Error('x'), job)).toThrow(/unknown backoff strategy/);
  });
});
