import type { SqlClient } from '@ahe/database';
import type { EscalationQueue } from './escalation-queue.port';
import { CONTRACT_RETRY, QUIET_MS, completed, depthOf, job, recorder, sleep, until, type EscalationQueueFactory } from './escalation-queue-probes.contract';
import { migrateEscalationJobs } from './escalation-job.store';
import { InProcessEscalationQueue, type InProcessEscalationQueueOptions } from './in-process-escalation-queue';
import type { EscalationQueueLogger } from './queue-logger';

const RETAIN_COMPLETED_SECONDS = 3_600;

/** Empties the tables for a fresh queue; reuses them (a restart) otherwise. */
export function inProcessFactory(sql: () => SqlClient): EscalationQueueFactory {
  return async ({ retry, fresh }) => {
    if (fresh) {
      await migrateEscalationJobs(sql());
      await sql().exec('TRUNCATE escalation_jobs, escalation_dead_letters');
    }
    return InProcessEscalationQueue.create({ sql: sql(), retry, retainCompletedSeconds: RETAIN_COMPLETED_SECONDS, pollIntervalMs: 250, lockRetryMs: 100 });
  };
}

/** What only the database-backed adapter has: crash recovery of active rows, and the purge of old completed ones. */
export function describeInProcessQueue(sql: () => SqlClient): void {
  const opened: EscalationQueue[] = [];
  const open = async (options: Partial<InProcessEscalationQueueOptions> = {}) => {
    const queue = await InProcessEscalationQueue.create({
      sql: sql(),
      retry: CONTRACT_RETRY,
      retainCompletedSeconds: RETAIN_COMPLETED_SECONDS,
      ...options,
    });
    opened.push(queue);
    return queue;
  };
  beforeEach(async () => {
    await migrateEscalationJobs(sql());
    await sql().exec('TRUNCATE escalation_jobs, escalation_dead_letters');
  });
  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.close();
  });

  it('runs again, on start, a job a crashed process left active', async () => {
    const crashed = await open();
    await crashed.enqueue([job('interrupted', { step: 1 })]);
    await crashed.close();
    // What a process killed mid-handler leaves behind.
    await sql().query(`UPDATE escalation_jobs SET state = 'active' WHERE id = 'interrupted'`);

    const restarted = await open();
    const runs = recorder();
    restarted.process('escalations', runs.handler, { concurrency: 1 });
    await completed(restarted, 'escalations', 1);
    expect(runs.calls.map((call) => [call.id, call.attempt, call.data])).toEqual([['interrupted', 1, { step: 1 }]]);
  });

  it('dead-letters, without running it again, a job whose process died mid-job as often as its attempts allow', async () => {
    const crashed = await open();
    await crashed.enqueue([job('poison'), job('survivor')]);
    await crashed.close();
    // Each claim counts a start; a process killed mid-handler records no outcome and leaves the row active.
    await sql().query(`UPDATE escalation_jobs SET state = 'active', attempts_started = CASE id WHEN 'poison' THEN 3 ELSE 2 END`);

    const restarted = await open();
    const runs = recorder();
    restarted.process('escalations', runs.handler, { concurrency: 1 });
    await until('a dead letter', async () => (await restarted.deadLetters(10)).length === 1);
    await completed(restarted, 'escalations', 1);
    await sleep(QUIET_MS);
    expect(runs.calls.map((call) => [call.id, call.attempt])).toEqual([['survivor', 1]]);
    expect(await restarted.deadLetters(10)).toEqual([
      { id: 'poison', queue: 'escalations', name: 'open', data: { id: 'poison' }, attempts: 3, error: 'started 3 time(s), 3 allowed: its process stopped mid-job 3 time(s)', failedAt: expect.any(String) },
    ]);
    expect(await depthOf(restarted, 'escalations')).toMatchObject({ failed: 1, completed: 1, active: 0 });

    expect(await restarted.retryDeadLetter('escalations', 'poison')).toBe(true);
    await completed(restarted, 'escalations', 2);
    expect(runs.calls.map((call) => [call.id, call.attempt])).toEqual([['survivor', 1], ['poison', 1]]);
  });

  it('drops, without running its job again, the dead letter of a job that completed after all', async () => {
    const queue = await open();
    const runs = recorder();
    queue.process('webhooks', runs.handler, { concurrency: 1 });
    await queue.enqueue([{ id: 'hook-late', queue: 'webhooks', name: 'deliver', data: {} }]);
    await completed(queue, 'webhooks', 1);
    // An outcome written late by a process that had lost the lock, after the next holder ran the job again.
    await sql().query(`INSERT INTO escalation_dead_letters (queue, id, name, data, attempts, error, failed_at) VALUES ('webhooks', 'hook-late', 'deliver', '{}', 3, 'receiver answered 503', now())`);

    expect(await queue.retryDeadLetter('webhooks', 'hook-late')).toBe(false);
    await sleep(QUIET_MS);
    expect(runs.calls).toHaveLength(1);
    expect(await queue.deadLetters(10)).toEqual([]);
    expect(await depthOf(queue, 'webhooks')).toMatchObject({ completed: 1, waiting: 0, failed: 0 });
  });

  it('drops the dead letter of a job when the job completes, so a later retry finds none', async () => {
    // An outcome written late by a process that had lost the lock, before the next holder's run completes.
    await sql().query(`INSERT INTO escalation_dead_letters (queue, id, name, data, attempts, error, failed_at) VALUES ('escalations', 'ran-again', 'open', '{}', 3, 'receiver answered 503', now())`);
    const queue = await open();
    const runs = recorder();
    queue.process('escalations', runs.handler, { concurrency: 1 });
    await queue.enqueue([job('ran-again')]);
    await completed(queue, 'escalations', 1);
    expect(await queue.deadLetters(10)).toEqual([]);

    expect(await queue.retryDeadLetter('escalations', 'ran-again')).toBe(false);
    await sleep(QUIET_MS);
    expect(runs.calls).toHaveLength(1);
  });

  it('runs jobs in one queue of a database only; another takes over, running what waits once, when it closes', async () => {
    const waits: string[] = [];
    const logger: EscalationQueueLogger = { log: (message) => void (/Another process/.test(message) && waits.push(message)), warn: () => undefined, error: () => undefined };
    const holder = await open({ lockRetryMs: 50, pollIntervalMs: 50 });
    const standby = await open({ lockRetryMs: 50, pollIntervalMs: 50, logger });
    const held = recorder();
    const taken = recorder();
    holder.process('escalations', held.handler, { concurrency: 2 });
    await holder.enqueue([job('probe')]);
    await until('the holder runs jobs', () => held.calls.length === 1);

    standby.process('escalations', taken.handler, { concurrency: 2 });
    const now = Date.now();
    const spread = Array.from({ length: 8 }, (_, i) => job(`spread-${i}`, {}, { runAtMs: now + i * 50 }));
    await standby.enqueue(spread);
    await completed(holder, 'escalations', 9);
    await sleep(QUIET_MS);
    expect(taken.calls).toEqual([]);
    expect(waits).toHaveLength(1);

    const runAtMs = Date.now() + 300;
    await holder.enqueue([job('after-1', {}, { runAtMs }), job('after-2', {}, { runAtMs })]);
    await holder.close();
    await until('the standby ran them', () => taken.calls.length === 2);
    await completed(standby, 'escalations', 11);
    await sleep(QUIET_MS);
    expect(taken.calls.map((call) => call.id).sort()).toEqual(['after-1', 'after-2']);
    expect(held.calls.map((call) => call.id).sort()).toEqual(['probe', ...spread.map(({ id }) => id)].sort());
  });

  it('forgets completed ids after retainCompletedSeconds', async () => {
    const first = await open({ retainCompletedSeconds: 1 });
    const runs = recorder();
    first.process('escalations', runs.handler, { concurrency: 1 });
    await first.enqueue([job('old')]);
    await completed(first, 'escalations', 1);
    await first.enqueue([job('old')]);
    await sleep(QUIET_MS);
    expect(runs.calls).toHaveLength(1);
    await first.close();

    await sleep(1_100);
    const second = await open({ retainCompletedSeconds: 1 });
    second.process('escalations', runs.handler, { concurrency: 1 });
    await until('the purge', async () => (await sql().query(`SELECT 1 FROM escalation_jobs WHERE id = 'old'`)).rows.length === 0);
    await second.enqueue([job('old')]);
    await until('the job ran again', () => runs.calls.length === 2);
  });

  it('enqueues and cancels inside the caller’s transaction, committed or rolled back with it', async () => {
    const queue = await open();
    const runs = recorder();
    queue.process('escalations', runs.handler, { concurrency: 1 });
    await queue.enqueue([job('timer', {}, { runAtMs: Date.now() + 60_000 })]);
    // An idle loop, so the wake-ups below come from inside the transactions.
    await sleep(100);
    await expect(
      sql().transaction(async (tx) => {
        await queue.enqueue([job('rolled-back')], { tx });
        await queue.cancel('escalations', 'timer', { tx });
        throw new Error('the checkpoint could not be saved');
      }),
    ).rejects.toThrow('the checkpoint could not be saved');
    expect(await depthOf(queue, 'escalations')).toMatchObject({ waiting: 0, delayed: 1 });
    await sleep(100);
    await sql().transaction(async (tx) => {
      await queue.enqueue([job('committed', { n: 1 })], { tx });
      await queue.cancel('escalations', 'timer', { tx });
    });
    await completed(queue, 'escalations', 1);
    await sleep(QUIET_MS);
    expect(runs.calls.map((call) => [call.id, call.data])).toEqual([['committed', { n: 1 }]]);
    expect(await depthOf(queue, 'escalations')).toMatchObject({ waiting: 0, delayed: 0 });
  });

  it('refuses an id BullMQ would refuse, storing none of the batch', async () => {
    const queue = await open();
    await expect(queue.enqueue([job('fine'), job('account:1')])).rejects.toThrow(/contain no ':'/);
    expect((await sql().query('SELECT id FROM escalation_jobs')).rows).toEqual([]);
  });
}
