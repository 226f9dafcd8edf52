import { randomUUID } from 'node:crypto';
import { IN_MEMORY, openDatabase, type SqlClient } from '@ahe/database';
import { MetricsService } from '@ahe/platform';
import { BullMqEscalationQueue, InProcessEscalationQueue, PermanentJobError, deleteQueueKeys, migrateEscalationJobs, type EscalationQueue, type JobFailureListener } from '../queue';
import { CONTRACT_RETRY, QUIET_MS, job, recorder, sleep, until } from '../queue/escalation-queue-probes.contract';
import { escalationFailureMetrics } from './escalation-failure-metrics';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Adapter {
  readonly label: string;
  open(failures: JobFailureListener): Promise<EscalationQueue>;
  dispose(): Promise<void>;
}

function inProcessOnEmbedded(): Adapter {
  let sql: SqlClient | undefined;
  return {
    label: 'the in-process queue on the embedded store',
    async open(failures) {
      sql ??= await openDatabase({ kind: 'embedded', dataDir: IN_MEMORY });
      await migrateEscalationJobs(sql);
      await sql.exec('TRUNCATE escalation_jobs, escalation_dead_letters');
      return InProcessEscalationQueue.create({ sql, retry: CONTRACT_RETRY, retainCompletedSeconds: 3_600, pollIntervalMs: 20, lockRetryMs: 100, failures });
    },
    dispose: async () => sql?.close(),
  };
}

function bullMqOnRedis(): Adapter {
  const prefixes: string[] = [];
  return {
    label: 'BullMQ on Redis',
    async open(failures) {
      const prefix = `ahe-test-failmetrics-${randomUUID().slice(0, 8)}`;
      prefixes.push(prefix);
      return new BullMqEscalationQueue({ redisUrl: REDIS_URL, prefix, retry: CONTRACT_RETRY, enqueueTimeoutMs: 2_000, retainCompletedSeconds: 3_600, failures });
    },
    async dispose() {
      for (const prefix of prefixes) await deleteQueueKeys(REDIS_URL, prefix);
    },
  };
}

const series = async (metrics: MetricsService, name: string, queue: string): Promise<number | undefined> => {
  const line = (await metrics.render()).split('\n').find((candidate) => candidate.startsWith(`${name}{queue="${queue}"} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

describe.each([inProcessOnEmbedded(), bullMqOnRedis()])('escalation job failures in /metrics, $label', (adapter) => {
  let queue: EscalationQueue | undefined;
  afterEach(async () => {
    await queue?.close();
    queue = undefined;
  });
  afterAll(() => adapter.dispose());

  it('counts every failed attempt, and a job dead-lettered once its attempts ran out', async () => {
    const metrics = new MetricsService();
    queue = await adapter.open(escalationFailureMetrics(metrics));
    const runs = recorder(({ attempt }) => {
      if (attempt < 2) throw new Error('flaky receiver');
    });
    const doomed = recorder(() => {
      throw new Error('receiver answered 503');
    });
    queue.process('escalations', runs.handler, { concurrency: 1 });
    queue.process('webhooks', doomed.handler, { concurrency: 1 });
    await queue.enqueue([job('flaky'), { id: 'hook-1', queue: 'webhooks', name: 'deliver', data: {} }]);
    await until('a dead letter', async () => (await queue!.deadLetters(10)).length === 1);
    await until('the flaky job run twice', () => runs.calls.length === 2);
    await sleep(QUIET_MS);

    expect(await series(metrics, 'ahe_escalation_job_failures_total', 'escalations')).toBe(1);
    expect(await series(metrics, 'ahe_escalation_jobs_dead_lettered_total', 'escalations')).toBeUndefined();
    expect(await series(metrics, 'ahe_escalation_job_failures_total', 'webhooks')).toBe(CONTRACT_RETRY.webhooks.attempts);
    expect(await series(metrics, 'ahe_escalation_jobs_dead_lettered_total', 'webhooks')).toBe(1);
  });

  it('counts a PermanentJobError as one failure and one dead letter', async () => {
    const metrics = new MetricsService();
    queue = await adapter.open(escalationFailureMetrics(metrics));
    queue.process('escalations', recorder(() => {
      throw new PermanentJobError('account is gone');
    }).handler, { concurrency: 1 });
    await queue.enqueue([job('gone')]);
    await until('a dead letter', async () => (await queue!.deadLetters(10)).length === 1);
    await sleep(QUIET_MS);

    expect(await series(metrics, 'ahe_escalation_job_failures_total', 'escalations')).toBe(1);
    expect(await series(metrics, 'ahe_escalation_jobs_dead_lettered_total', 'escalations')).toBe(1);
  });
});
