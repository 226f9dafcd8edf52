import type { Job, Queue } from 'bullmq';
import type { EscalationQueueName } from '../escalation-jobs';
import type { DeadLetter } from './escalation-queue.port';
import type { JobFailureListener } from './job-failure-listener';
import { errorText } from './queue-rules';

export const DEAD_LETTER_QUEUE = 'dead-letter';

/** Stored as the dead-letter job's data; its job id is the original one. */
export type DeadLetterData = Omit<DeadLetter, 'id'>;

export function deadLetterOf(queue: EscalationQueueName, job: Job, attempts: number, error: unknown): DeadLetterData {
  return { queue, name: job.name, data: job.data, attempts, error: errorText(error), failedAt: new Date().toISOString() };
}

/**
 * Stores the dead letter of a job failed for good, once per job id, and counts it when this
 * call stored it. Two writers may meet on one job (the processor before BullMQ records the
 * failure, the worker's `failed` event after): the second finds the letter and leaves it.
 */
export async function storeDeadLetter(deadLetters: Queue<DeadLetterData>, id: string, letter: DeadLetterData, failures: JobFailureListener): Promise<void> {
  if ((await deadLetters.getJob(id)) !== undefined) return;
  await deadLetters.add(letter.name, letter, { jobId: id, removeOnComplete: false, removeOnFail: false });
  failures.deadLettered(letter.queue);
}

/**
 * For the worker's `failed` event: BullMQ fails some jobs without calling the processor (a
 * deferred failure, such as a job another worker's stall check gave up on), and those get
 * their dead letter here. A retry has no finishedOn: only a failure for good is stored.
 */
export async function deadLetterFailedJob(
  queue: EscalationQueueName,
  job: Job,
  error: unknown,
  deadLetters: Queue<DeadLetterData>,
  failures: JobFailureListener,
): Promise<void> {
  if (!job.finishedOn || job.id === undefined) return;
  await storeDeadLetter(deadLetters, job.id, deadLetterOf(queue, job, attemptsOf(job), error), failures);
}

/** The tries that ran: one start fewer than attemptsStarted when BullMQ failed the last start without running it. */
function attemptsOf(job: Job): number {
  return Math.max(job.attemptsMade, job.attemptsStarted - 1);
}

/**
 * For the worker's `completed` event: a letter left by an attempt that lost its lock before the
 * job ran again and completed. Retried once the completed job is purged, it would run it twice.
 */
export async function dropLetterOfCompletedJob(deadLetters: Queue<DeadLetterData>, job: Job): Promise<void> {
  if (job.id !== undefined) await deadLetters.remove(job.id);
}

/** Dead letters are never processed: they stay in the wait list, newest at its head. */
export async function listDeadLetters(deadLetters: Queue<DeadLetterData>, limit: number): Promise<DeadLetter[]> {
  const jobs = await deadLetters.getJobs(['waiting'], 0, limit - 1, false);
  return jobs.map((job) => ({ id: job.id!, ...(job.data as DeadLetterData) }));
}

export interface DeadLetterRetry {
  readonly deadLetters: Queue<DeadLetterData>;
  readonly target: Queue;
  /** Adds the job again as new, from the dead letter's copy. */
  readonly addAgain: (name: string, data: unknown) => Promise<unknown>;
}

/**
 * Runs a dead letter's job again when it failed for good, or was removed from its queue. A
 * letter whose job is back in its queue (it completed after all, or will still run: the last
 * attempt wrote the letter, lost its lock, and the stalled job ran again) needs no retry: it
 * is dropped and the answer is false, as for a letter already retried. Re-adding that job
 * would run a completed one twice, its webhook included.
 */
export async function retryDeadLetter({ deadLetters, target, addAgain }: DeadLetterRetry, queue: EscalationQueueName, id: string): Promise<boolean> {
  const letter = await deadLetters.getJob(id);
  if (letter === undefined || (letter.data as DeadLetterData).queue !== queue) return false;
  const original = await target.getJob(id);
  const state = original === undefined ? 'unknown' : await original.getState();
  if (state === 'failed') {
    await original!.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  } else if (state === 'unknown') {
    const { name, data } = letter.data as DeadLetterData;
    await addAgain(name, data);
  }
  await letter.remove();
  return state === 'failed' || state === 'unknown';
}
