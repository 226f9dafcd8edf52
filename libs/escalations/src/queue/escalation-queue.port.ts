import type { SqlQueryable } from '@ahe/database';
import type { EscalationQueueName } from '../escalation-jobs';

/** A job as the queue carries it: a deterministic id, a name for dashboards, JSON data. */
export interface QueuedJob<T = unknown> {
  /** Deterministic, `[A-Za-z0-9_-]`, at most 128 characters; never contains `:`. */
  readonly id: string;
  readonly queue: EscalationQueueName;
  /** Shown in Bull Board and logs, e.g. `open`, `resolve`, `deliver`. */
  readonly name: string;
  readonly data: T;
  /** Run no earlier than this instant (epoch ms); absent or past: at once. */
  readonly runAtMs?: number;
}

/** The attempt being run: 1 for the first, up to RetryPolicy.attempts. */
export interface JobAttempt<T = unknown> {
  readonly job: QueuedJob<T>;
  readonly attempt: number;
}

/** Throw from a handler to skip the remaining retries: the job goes to the dead-letter queue at once. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

export type JobHandler = (attempt: JobAttempt) => Promise<void>;

export interface RetryPolicy {
  /** Total tries, the first included. */
  readonly attempts: number;
  /** Exponential backoff: the n-th retry waits baseMs × 2^(n−1), at most 24 h (MAX_RETRY_DELAY_MS). */
  readonly backoffMs: number;
}

export interface QueueDepth {
  readonly queue: EscalationQueueName | 'dead-letter';
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
}

export interface DeadLetter {
  readonly id: string;
  readonly queue: EscalationQueueName;
  readonly name: string;
  readonly data: unknown;
  readonly attempts: number;
  readonly error: string;
  readonly failedAt: string;
}

/**
 * The caller's open database transaction, if any. An adapter that keeps its jobs in that same
 * database (the in-process one) must write them through `tx`, so they commit atomically with
 * the caller's checkpoint (and on the embedded database, whose single connection is held by
 * the transaction, any other query would wait for ever). BullMQ ignores it.
 */
export interface EnqueueContext {
  readonly tx: SqlQueryable;
}

/**
 * The port the escalation workflow runs on: BullMQ on Redis in server mode, an in-process
 * adapter (durable in the embedded database) without REDIS_URL. Same semantics in both, and
 * one contract suite for both.
 */
export interface EscalationQueue {
  /**
   * Resolves only once every job is durably enqueued (the process manager's checkpoint waits
   * for it). A job whose id the queue already holds — waiting, delayed, active, or completed
   * within the retention — is ignored, so re-delivered events never run a job twice.
   */
  enqueue(jobs: readonly QueuedJob[], within?: EnqueueContext): Promise<void>;
  /** Removes a waiting or delayed job; a job that is running, done or unknown is left alone. */
  cancel(queue: EscalationQueueName, id: string, within?: EnqueueContext): Promise<void>;
  /**
   * Starts the workers of one queue. A handler that throws is retried with exponential
   * backoff per the queue's RetryPolicy; after the last attempt (or a PermanentJobError)
   * the job is copied to the dead-letter queue with its error.
   */
  process(queue: EscalationQueueName, handler: JobHandler, options: { readonly concurrency: number }): void;
  depths(): Promise<readonly QueueDepth[]>;
  deadLetters(limit: number): Promise<readonly DeadLetter[]>;
  /**
   * Runs a dead letter's job again, as new: all its attempts, at once; the dead letter is gone.
   * False when the queue holds no such dead letter (never, or already retried).
   */
  retryDeadLetter(queue: EscalationQueueName, id: string): Promise<boolean>;
  /** Throws when the backing store (Redis) cannot answer; for /health/ready. */
  ping(): Promise<void>;
  /** Stops taking jobs, waits for running ones to finish, then disconnects. */
  close(): Promise<void>;
}
