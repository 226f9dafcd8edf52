import { setTimeout as sleep } from 'node:timers/promises';
import type { EscalationQueueName } from '../escalation-jobs';
import type { EscalationQueue, JobAttempt, JobHandler, QueueDepth, QueuedJob, RetryPolicy } from './escalation-queue.port';

export { sleep };

export interface ContractQueueOptions {
  readonly retry: Readonly<Record<EscalationQueueName, RetryPolicy>>;
  /** True: on empty storage (every test starts so). False: on the previous queue's storage, as a restarted process. */
  readonly fresh: boolean;
}

export type EscalationQueueFactory = (options: ContractQueueOptions) => Promise<EscalationQueue>;

/** Small backoffs keep the suite quick: retries after 20 ms, then 40 ms. */
export const CONTRACT_RETRY: ContractQueueOptions['retry'] = {
  escalations: { attempts: 3, backoffMs: 20 },
  webhooks: { attempts: 3, backoffMs: 20 },
};

/** Long enough for a job that should not run (a duplicate, a cancelled timer) to have run. */
export const QUIET_MS = 400;

export function job(id: string, data: unknown = { id }, extra: Partial<QueuedJob> = {}): QueuedJob {
  return { id, queue: 'escalations', name: 'open', data, ...extra };
}

export interface Call {
  readonly id: string;
  readonly queue: EscalationQueueName;
  readonly name: string;
  readonly data: unknown;
  readonly attempt: number;
  readonly runAtMs?: number;
  /** When the attempt started (epoch ms). */
  readonly at: number;
}

/** A handler that records each attempt, then does what `behaviour` says (resolve by default). */
export function recorder(behaviour: (attempt: JobAttempt) => Promise<void> | void = () => undefined): { calls: Call[]; handler: JobHandler } {
  const calls: Call[] = [];
  const handler: JobHandler = async (attempt) => {
    const { id, queue, name, data, runAtMs } = attempt.job;
    calls.push({ id, queue, name, data, attempt: attempt.attempt, at: Date.now(), ...(runAtMs === undefined ? {} : { runAtMs }) });
    await behaviour(attempt);
  };
  return { calls, handler };
}

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); await sleep(10)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
  }
}

export async function depthOf(queue: EscalationQueue, name: QueueDepth['queue']): Promise<QueueDepth> {
  const depth = (await queue.depths()).find((entry) => entry.queue === name);
  if (!depth) throw new Error(`no depth reported for ${name}`);
  return depth;
}

/** Waits until the queue has recorded `count` completed jobs in `name` (the handler returning is not enough). */
export function completed(queue: EscalationQueue, name: EscalationQueueName, count: number): Promise<void> {
  return until(`${count} completed in ${name}`, async () => (await depthOf(queue, name)).completed === count);
}
