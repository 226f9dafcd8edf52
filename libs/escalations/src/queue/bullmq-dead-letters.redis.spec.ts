import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import type { EscalationQueueName } from '../escalation-jobs';
import { BullMqEscalationQueue, type BullMqEscalationQueueOptions } from './bullmq-escalation-queue';
import { CONTRACT_RETRY, QUIET_MS, completed, depthOf, job, recorder, sleep, until } from './escalation-queue-probes.contract';
import { PermanentJobError } from './escalation-queue.port';
import type { JobFailureListener } from './job-failure-listener';
import { deleteQueueKeys } from './queue-keys';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Short locks, so a lost worker's job is found stalled within a second. */
const STALLED_JOBS = { lockDurationMs: 300, checkIntervalMs: 100 };

function deadLetterCounter(): JobFailureListener & { readonly deadLettered: (queue: EscalationQueueName) => void; count: number } {
  const counter = { count: 0, attemptFailed: () => undefined, deadLettered: () => void counter.count++ };
  return counter;
}

describe('BullMQ dead letters of jobs that end failed without their handler failing', () => {
  const runPrefix = `ahe-test-escdl-${randomUUID().slice(0, 8)}`;
  let generation = 0;
  let prefix = '';
  const opened: BullMqEscalationQueue[] = [];
  const open = (options: Partial<BullMqEscalationQueueOptions> = {}) => {
    const queue = new BullMqEscalationQueue({ redisUrl: REDIS_URL, prefix, retry: CONTRACT_RETRY, enqueueTimeoutMs: 2_000, retainCompletedSeconds: 3_600, ...options });
    opened.push(queue);
    return queue;
  };
  const admin = new Redis(REDIS_URL, { lazyConnect: true });
  beforeEach(() => {
    prefix = `${runPrefix}-${++generation}`;
  });
  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.close();
  });
  afterAll(async () => {
    for (let n = 1; n <= generation; n++) await deleteQueueKeys(REDIS_URL, `${runPrefix}-${n}`);
    await admin.quit();
  });

  /** A worker process that takes the job and dies mid-handler (SIGKILL, OOM): its lock is left to expire. */
  async function loseWorkerMidJob(id: string): Promise<void> {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    let taken = false;
    const doomed = new Worker('escalations', () => new Promise<never>(() => void (taken = true)), {
      connection,
      prefix,
      lockDuration: STALLED_JOBS.lockDurationMs,
      stalledInterval: STALLED_JOBS.checkIntervalMs,
      maxStalledCount: Number.MAX_SAFE_INTEGER,
    });
    try {
      await until(`a worker took ${id}`, () => taken, 10_000);
    } finally {
      await doomed.close(true);
      connection.disconnect();
    }
  }

  it('dead-letters a job whose worker was lost mid-job until its attempts ran out, counts it, and runs it again on retry', async () => {
    const failures = deadLetterCounter();
    const queue = open({ retry: { ...CONTRACT_RETRY, escalations: { attempts: 2, backoffMs: 20 } }, failures, stalledJobs: STALLED_JOBS });
    await queue.enqueue([job('poison')]);
    await loseWorkerMidJob('poison');
    await loseWorkerMidJob('poison');

    const runs = recorder();
    queue.process('escalations', runs.handler, { concurrency: 1 });
    await until('a dead letter', async () => (await queue.deadLetters(10)).length === 1, 10_000);
    await until('the failure recorded', async () => (await depthOf(queue, 'escalations')).failed === 1);
    await sleep(QUIET_MS);
    expect(runs.calls).toEqual([]);
    expect(await queue.deadLetters(10)).toEqual([
      {
        id: 'poison',
        queue: 'escalations',
        name: 'open',
        data: { id: 'poison' },
        attempts: 2,
        error: expect.stringMatching(/^started 2 time\(s\), 2 allowed: its worker was lost mid-job 2 time\(s\)/),
        failedAt: expect.any(String),
      },
    ]);
    expect(failures.count).toBe(1);

    expect(await queue.retryDeadLetter('escalations', 'poison')).toBe(true);
    await completed(queue, 'escalations', 1);
    expect(runs.calls.map((call) => [call.id, call.attempt])).toEqual([['poison', 1]]);
    expect(await queue.deadLetters(10)).toEqual([]);
  });

  it('dead-letters a job BullMQ fails without calling the processor (a deferred failure), and runs it again on retry', async () => {
    const failures = deadLetterCounter();
    const queue = open({ failures });
    const [escalations] = queue.bullQueues();
    await queue.enqueue([job('gave-up-on', {}, { runAtMs: Date.now() + 60_000 })]);
    // What the stall check of a worker with BullMQ's default limit leaves on a job stalled twice.
    await admin.hset(`${prefix}:escalations:gave-up-on`, 'defa', 'job stalled more than allowable limit', 'stc', 2, 'ats', 2);
    await (await escalations!.getJob('gave-up-on'))!.promote();

    const runs = recorder();
    queue.process('escalations', runs.handler, { concurrency: 1 });
    await until('a dead letter', async () => (await queue.deadLetters(10)).length === 1);
    await until('the failure recorded', async () => (await depthOf(queue, 'escalations')).failed === 1);
    await sleep(QUIET_MS);
    expect(runs.calls).toEqual([]);
    expect((await queue.deadLetters(10))[0]).toMatchObject({ id: 'gave-up-on', queue: 'escalations', attempts: 2, error: 'job stalled more than allowable limit' });
    expect(failures.count).toBe(1);

    expect(await queue.retryDeadLetter('escalations', 'gave-up-on')).toBe(true);
    await completed(queue, 'escalations', 1);
    expect(runs.calls.map((call) => [call.id, call.attempt])).toEqual([['gave-up-on', 1]]);
  });

  it('runs a job failed for good once more when it is retried as Bull Board does, its counters untouched', async () => {
    const queue = open({ retry: { ...CONTRACT_RETRY, escalations: { attempts: 2, backoffMs: 20 } } });
    const runs = recorder(() => (runs.calls.length <= 2 ? Promise.reject(new Error('account store unreachable')) : undefined));
    queue.process('escalations', runs.handler, { concurrency: 1 });
    await queue.enqueue([job('retried-by-hand')]);
    await until('the failure recorded', async () => (await depthOf(queue, 'escalations')).failed === 1);
    const [escalations] = queue.bullQueues();
    const failed = (await escalations!.getJob('retried-by-hand'))!;
    expect([failed.attemptsMade, failed.attemptsStarted]).toEqual([2, 2]);

    // What Bull Board's Retry (one job or all) calls.
    await failed.retry('failed');
    await completed(queue, 'escalations', 1);
    expect(runs.calls.map((call) => [call.id, call.attempt])).toEqual([['retried-by-hand', 1], ['retried-by-hand', 2], ['retried-by-hand', 3]]);
    expect(await queue.deadLetters(10)).toEqual([]);
  });

  it('dead-letters a job retried by hand whose worker is then lost as often as its attempts allow', async () => {
    const queue = open({ retry: { ...CONTRACT_RETRY, escalations: { attempts: 2, backoffMs: 20 } }, stalledJobs: STALLED_JOBS });
    const failing = recorder(() => Promise.reject(new Error('account store unreachable')));
    queue.process('escalations', failing.handler, { concurrency: 1 });
    await queue.enqueue([job('retried-then-lost')]);
    await until('the failure recorded', async () => (await depthOf(queue, 'escalations')).failed === 1);
    await until('its dead letter', async () => (await queue.deadLetters(10)).length === 1);
    await queue.close();

    const admin = open({ stalledJobs: STALLED_JOBS });
    const [escalations] = admin.bullQueues();
    await (await escalations!.getJob('retried-then-lost'))!.retry('failed');
    await loseWorkerMidJob('retried-then-lost');
    await loseWorkerMidJob('retried-then-lost');
    await admin.bullQueues().find((bull) => bull.name === 'dead-letter')!.remove('retried-then-lost');

    const runs = recorder();
    admin.process('escalations', runs.handler, { concurrency: 1 });
    await until('a new dead letter', async () => (await admin.deadLetters(10)).length === 1, 10_000);
    await sleep(QUIET_MS);
    expect(runs.calls).toEqual([]);
    expect((await admin.deadLetters(10))[0]!.error).toMatch(/its worker was lost mid-job 2 time\(s\)/);
  });

  it('leaves deleted a dead letter an admin removed, across a worker restart', async () => {
    const queue = open();
    queue.process('escalations', recorder(() => Promise.reject(new PermanentJobError('account closed'))).handler, { concurrency: 1 });
    await queue.enqueue([job('dismissed')]);
    await until('a dead letter', async () => (await queue.deadLetters(10)).length === 1);
    await until('the failure recorded', async () => (await depthOf(queue, 'escalations')).failed === 1);
    await queue.bullQueues().find((bull) => bull.name === 'dead-letter')!.remove('dismissed');
    await queue.close();

    const failures = deadLetterCounter();
    const restarted = open({ failures });
    restarted.process('escalations', recorder().handler, { concurrency: 1 });
    await sleep(QUIET_MS);
    expect(await restarted.deadLetters(10)).toEqual([]);
    expect(failures.count).toBe(0);
  });

  it('stores and counts a dead letter once when the processor and the failed event both see the failure', async () => {
    const failures = deadLetterCounter();
    const queue = open({ failures });
    queue.process('escalations', recorder(() => Promise.reject(new Error('receiver answered 503'))).handler, { concurrency: 1 });
    await queue.enqueue([job('doomed')]);
    await until('the failure recorded', async () => (await depthOf(queue, 'escalations')).failed === 1);
    await sleep(QUIET_MS);
    expect((await queue.deadLetters(10)).map((letter) => [letter.id, letter.attempts, letter.error])).toEqual([['doomed', 3, 'receiver answered 503']]);
    expect(failures.count).toBe(1);
  });

  it('drops the dead letter of a job when the job completes, so a later retry finds none', async () => {
    const queue = open();
    // The last attempt wrote it, lost its lock before BullMQ recorded the failure, and the stalled job runs again.
    const deadLetterQueue = queue.bullQueues().find((bull) => bull.name === 'dead-letter')!;
    const letter = { queue: 'escalations', name: 'open', data: { id: 'ran-again' }, attempts: 3, error: 'receiver answered 503', failedAt: new Date().toISOString() };
    await deadLetterQueue.add('open', letter, { jobId: 'ran-again' });
    const runs = recorder();
    queue.process('escalations', runs.handler, { concurrency: 1 });
    await queue.enqueue([job('ran-again')]);
    await completed(queue, 'escalations', 1);
    await until('the dead letter dropped', async () => (await queue.deadLetters(10)).length === 0);

    expect(await queue.retryDeadLetter('escalations', 'ran-again')).toBe(false);
    await sleep(QUIET_MS);
    expect(runs.calls).toHaveLength(1);
  });

  it('drops, without running its job again, the dead letter of a job that completed after all', async () => {
    const queue = open();
    const runs = recorder();
    queue.process('webhooks', runs.handler, { concurrency: 1 });
    await queue.enqueue([{ id: 'hook-late', queue: 'webhooks', name: 'deliver', data: { url: 'http://127.0.0.1:9/hook' } }]);
    await completed(queue, 'webhooks', 1);
    // The last attempt wrote it, lost its lock before BullMQ recorded the failure, and the stalled job's re-run succeeded.
    const deadLetterQueue = queue.bullQueues().find((bull) => bull.name === 'dead-letter')!;
    const letter = { queue: 'webhooks', name: 'deliver', data: { url: 'http://127.0.0.1:9/hook' }, attempts: 3, error: 'receiver answered 503', failedAt: new Date().toISOString() };
    await deadLetterQueue.add('deliver', letter, { jobId: 'hook-late' });

    expect(await queue.retryDeadLetter('webhooks', 'hook-late')).toBe(false);
    await sleep(QUIET_MS);
    expect(runs.calls).toHaveLength(1);
    expect(await queue.deadLetters(10)).toEqual([]);
    expect(await depthOf(queue, 'webhooks')).toMatchObject({ completed: 1, waiting: 0, delayed: 0, active: 0, failed: 0 });
  });
});
