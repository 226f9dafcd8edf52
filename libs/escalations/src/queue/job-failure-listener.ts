import type { EscalationQueueName } from '../escalation-jobs';

/**
 * Told of the failures an adapter handles itself, which no handler sees end: the retries and the
 * dead-lettering. For /metrics; it must not throw.
 */
export interface JobFailureListener {
  /** An attempt whose handler threw, the last one included. */
  attemptFailed(queue: EscalationQueueName): void;
  /** A job copied to the dead-letter queue (its attempts ran out, or a PermanentJobError), once the copy is stored. */
  deadLettered(queue: EscalationQueueName): void;
}

export const NO_FAILURE_LISTENER: JobFailureListener = { attemptFailed: () => undefined, deadLettered: () => undefined };
