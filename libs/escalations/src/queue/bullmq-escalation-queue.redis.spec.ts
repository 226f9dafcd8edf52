import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { BullMqEscalationQueue, type BullMqEscalationQueueOptions } from './bullmq-escalation-queue';
import { describeEscalationQueueContract } from './escalation-queue.contract';
import { CONTRACT_RETRY, QUIET_MS, job, recorder, until } from './escalation-queue-probes.contract';
import { MAX_RETRY_DELAY_MS } from './queue-rules';
import { QueueUnavailableError } from './queue-unavailable.error';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('BullMQ escalation queue on Redis', () => {
  const runPrefix = `ahe-test-escq-${randomUUID().slice(0, 8)}`;
  let generation = 0;
  const admin = new Redis(REDIS_URL, { lazyConnect: true });
  const opened: BullMqEscalationQueue[] = [];
  const open = (options: Partial<BullMqEscalationQueueOptions> = {}) => {
    const queue = new BullMqEscalationQueue({
      redisUrl: REDIS_URL,
      prefix: `${runPrefix}-${generation}`,
      retry: CONTRACT_RETRY,
      enqueueTimeoutMs: 2_000,
      retainCompletedSeconds: 3_600,
      ...options,
    });
    opened.push(queue);
    return queue;
  };
  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.close();
  });
  afterAll(async () => {
    // Every key of this run, whichever queue made it.
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${runPrefix}-*`, 'COUNT', 1000);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await admin.quit();
  });

  describeEscalationQueueContract('BullMQ on Redis', async ({ retry, fresh }) => {
    if (fresh) generation++;
    return open({ retry });
  });

  it.each(['WRITE', 'ALL'])('rejects within the timeout under CLIENT PAUSE %s, and every job runs once afterwards', async (mode) => {
    generation++;
    const queue = open({ enqueueTimeoutMs: 300 });
    const runs = recorder();
    queue.process('escalations', runs.handler, { concurrency: 2 });
    await queue.enqueue([job('before-pause')]);
    await until('the first job ran', () => runs.calls.length === 1);

    await admin.call('CLIENT', 'PAUSE', '1500', mode);
    const started = Date.now();
    await expect(queue.enqueue([job('during-pause')])).rejects.toMatchObject({ name: 'QueueUnavailableError', transient: true });
    expect(Date.now() - started).toBeLessThan(300 + 250);
    if (mode === 'ALL') await expect(queue.ping()).rejects.toBeInstanceOf(QueueUnavailableError);

    // The caller keeps its checkpoint and tries again until Redis takes the jobs.
    await until('Redis takes jobs again', () => queue.enqueue([job('during-pause'), job('after-pause')]).then(() => true, () => false), 10_000);
    await until('every job ran', () => runs.calls.length >= 3, 10_000);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    expect(runs.calls.map((call) => call.id).sort()).toEqual(['after-pause', 'before-pause', 'during-pause']);
  });

  it('rejects within the timeout when Redis is down, and closes all the same', async () => {
    const queue = open({ redisUrl: 'redis://127.0.0.1:1', enqueueTimeoutMs: 300 });
    queue.process('escalations', recorder().handler, { concurrency: 1 });
    const started = Date.now();
    await expect(queue.enqueue([job('nowhere')])).rejects.toBeInstanceOf(QueueUnavailableError);
    await expect(queue.ping()).rejects.toBeInstanceOf(QueueUnavailableError);
    await expect(queue.depths()).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - started).toBeLessThan(3 * 300 + 500);
    await queue.close();
  });

  it('waits at most 24 h before a retry, however many attempts failed (100 attempts, 1 h backoff)', async () => {
    generation++;
    const queue = open({ retry: { ...CONTRACT_RETRY, escalations: { attempts: 100, backoffMs: 3_600_000 } } });
    const [escalations] = queue.bullQueues();
    await queue.enqueue([job('persistent', {}, { runAtMs: Date.now() + 60_000 })]);
    // 40 attempts already failed: BullMQ's own exponential backoff would now wait 2^40 hours.
    await admin.hset(`${runPrefix}-${generation}:escalations:persistent`, 'atm', 40);
    await (await escalations!.getJob('persistent'))!.promote();
    const runs = recorder(() => Promise.reject(new Error('receiver answered 503')));
    queue.process('escalations', runs.handler, { concurrency: 1 });
    await until('the retry scheduled', async () => runs.calls.length === 1 && (await escalations!.getJobState('persistent')) === 'delayed');
    const retried = (await escalations!.getJob('persistent'))!;
    expect(runs.calls.map((call) => call.attempt)).toEqual([41]);
    expect([retried.attemptsMade, retried.delay]).toEqual([41, MAX_RETRY_DELAY_MS]);
  });

  it('shows every queue, the dead-letter one included, under its prefix (for Bull Board)', () => {
    generation++;
    const queues = open().bullQueues();
    expect(queues.map((queue) => queue.name)).toEqual(['escalations', 'webhooks', 'dead-letter']);
    expect(new Set(queues.map((queue) => queue.opts.prefix))).toEqual(new Set([`${runPrefix}-${generation}`]));
  });
});
