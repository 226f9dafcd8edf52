import { UnrecoverableError, type BackoffStrategy, type Job, type Queue } from 'bullmq';
import type { EscalationQueueName } from '../escalation-jobs';
import { PermanentJobError, type DeadLetter, type JobHandler, type QueuedJob } from './escalation-queue.port';
import type { JobFailureListener } from './job-failure-listener';
import { errorText, failureOutcome, retryDelayMs } from './queue-rules';

export const DEAD_LETTER_QUEUE = 'dead-letter';

/** The backoff type our jobs carry; the Worker's `settings.backoffStrategy` computes it. */
export const CAPPED_EXPONENTIAL_BACKOFF = 'capped-exponential';

/**
 * BullMQ's exponential backoff with the cap of retryDelayMs (its built-in one has none), so
 * both adapters wait alike; the base delay is the one stored with the job.
 */
export const cappedExponentialBackoff: BackoffStrategy = (attemptsMade, type, _error, job) => {
  if (type !== CAPPED_EXPONENTIAL_BACKOFF) throw new Error(`unknown backoff strategy ${JSON.stringify(type)}`);
  const backoff = job?.opts.backoff;
  const baseMs = typeof backoff === 'object' ? (backoff.delay ?? 0) : (backoff ?? 0);
  return retryDelayMs(baseMs, attemptsMade);
};

/** Stored as the dead-letter job's data; its job id is the original one. */
export type DeadLetterData = Omit<DeadLetter, 'id'>;

export interface ProcessorSide {
  readonly deadLetters: Queue<DeadLetterData>;
  /** The handlers in progress, for a close() that BullMQ cannot wait on. */
  readonly running: Set<Promise<void>>;
  readonly failures: JobFailureListener;
}

/**
 * The BullMQ processor around a JobHandler: BullMQ retries with its backoff, and this copies a
 * job that will not be retried to the dead-letter queue before BullMQ records the failure.
 */
export function escalationProcessor(queue: EscalationQueueName, handler: JobHandler, { deadLetters, running, failures }: ProcessorSide): (job: Job) => Promise<void> {
  return async (job) => {
    const attempt = job.attemptsMade + 1;
    const handling = handler({ job: queuedJob(queue, job), attempt });
    running.add(handling);
    try {
      await handling;
    } catch (error) {
      failures.attemptFailed(queue);
      const policy = { attempts: job.opts.attempts ?? 1, backoffMs: 0 };
      if (failureOutcome(policy, attempt, error).kind === 'retry') throw error;
      // If this process dies between the copy and BullMQ's record of the failure, the job
      // stalls and runs again, and the copy with the same id is ignored.
      const data: DeadLetterData = { queue, name: job.name, data: job.data, attempts: attempt, error: errorText(error), failedAt: new Date().toISOString() };
      await deadLetters.add(job.name, data, { jobId: job.id!, removeOnComplete: false, removeOnFail: false });
      failures.deadLettered(queue);
      // UnrecoverableError makes BullMQ fail the job without the attempts left.
      throw error instanceof PermanentJobError ? new UnrecoverableError(error.message) : error;
    } finally {
      running.delete(handling);
    }
  };
}

function queuedJob(queue: EscalationQueueName, job: Job): QueuedJob {
  const delay = job.opts.delay ?? 0;
  return { id: job.id!, queue, name: job.name, data: job.data as unknown, ...(delay > 0 ? { runAtMs: job.timestamp + delay } : {}) };
}
