import { UnrecoverableError, type BackoffStrategy, type Job, type Queue, type WorkerOptions } from 'bullmq';
import type Redis from 'ioredis';
import type { EscalationQueueName } from '../escalation-jobs';
import { deadLetterOf, storeDeadLetter, type DeadLetterData } from './bullmq-dead-letters';
import { PermanentJobError, type JobHandler, type QueuedJob } from './escalation-queue.port';
import type { JobFailureListener } from './job-failure-listener';
import { failureOutcome, retryDelayMs } from './queue-rules';

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

/**
 * How long a running job's lock lasts unrenewed, and how often workers look for jobs whose
 * worker was lost (killed, or its event loop blocked past the lock); BullMQ's 30 s each if absent.
 */
export interface StalledJobSettings {
  readonly lockDurationMs: number;
  readonly checkIntervalMs: number;
}

/** The Worker settings escalationProcessor relies on. */
export function escalationWorkerOptions(connection: Redis, prefix: string, concurrency: number, stalledJobs?: StalledJobSettings): WorkerOptions {
  return {
    connection,
    prefix,
    concurrency,
    settings: { backoffStrategy: cappedExponentialBackoff },
    ...(stalledJobs && { lockDuration: stalledJobs.lockDurationMs, stalledInterval: stalledJobs.checkIntervalMs }),
    // The processor dead-letters a job started more often than its attempts allow. BullMQ's
    // own stall limit would fail it without calling the processor, so without a dead letter.
    maxStalledCount: Number.MAX_SAFE_INTEGER,
  };
}

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
    const attempts = job.opts.attempts ?? 1;
    // Starts whose worker was lost mid-job (killed, or its event loop blocked past the lock)
    // count against the attempts too: BullMQ counts them in attemptsStarted only, and a job
    // that keeps taking its worker down would otherwise run for ever. A job whose attempts
    // were all made and that starts again was retried by hand (Bull Board's retry resets no
    // counter): it gets its run, and as many lost starts as the attempts allow.
    const lost = lostStarts(job);
    if ((job.attemptsMade < attempts && job.attemptsMade + lost >= attempts) || lost >= attempts) {
      const error = new UnrecoverableError(lostWorkerReason(job, attempts, lost));
      await storeDeadLetter(deadLetters, job.id!, deadLetterOf(queue, job, job.attemptsStarted - 1, error), failures);
      throw error;
    }
    const attempt = job.attemptsMade + 1;
    const handling = handler({ job: queuedJob(queue, job), attempt });
    running.add(handling);
    try {
      await handling;
    } catch (error) {
      failures.attemptFailed(queue);
      if (failureOutcome({ attempts, backoffMs: 0 }, attempt, error).kind === 'retry') throw error;
      await storeDeadLetter(deadLetters, job.id!, deadLetterOf(queue, job, attempt, error), failures);
      // UnrecoverableError makes BullMQ fail the job without the attempts left.
      throw error instanceof PermanentJobError ? new UnrecoverableError(error.message) : error;
    } finally {
      running.delete(handling);
    }
  };
}

/** Earlier starts that ended with no outcome recorded: every finished attempt adds to attemptsMade. */
function lostStarts(job: Job): number {
  return Math.max(0, job.attemptsStarted - 1 - job.attemptsMade);
}

function lostWorkerReason(job: Job, attempts: number, lost: number): string {
  const lastError = job.failedReason ? `; last error: ${job.failedReason}` : '';
  return `started ${job.attemptsStarted - 1} time(s), ${attempts} allowed: its worker was lost mid-job ${lost} time(s) (killed, or blocked past its lock)${lastError}`;
}

function queuedJob(queue: EscalationQueueName, job: Job): QueuedJob {
  const delay = job.opts.delay ?? 0;
  return { id: job.id!, queue, name: job.name, data: job.data as unknown, ...(delay > 0 ? { runAtMs: job.timestamp + delay } : {}) };
}
