import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@ahe/database';
import { describeEscalationQueueContract } from './escalation-queue.contract';
import { CONTRACT_RETRY, completed, job, recorder, until } from './escalation-queue-probes.contract';
import { describeInProcessQueue, inProcessFactory } from './in-process-escalation-queue.contract';
import { InProcessEscalationQueue } from './in-process-escalation-queue';
import { migrateEscalationJobs } from './escalation-job.store';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('in-process escalation queue on PostgreSQL', () => {
  const schema = `escq_${randomUUID().slice(0, 8)}`;
  const connect = () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await connect();
  });
  afterAll(async () => {
    await sql.query(`DROP SCHEMA ${schema} CASCADE`);
    await sql.close();
  });

  describeEscalationQueueContract('in-process, PostgreSQL', inProcessFactory(() => sql));
  describe('database-backed behaviour', () => describeInProcessQueue(() => sql));

  it('runs each job once when two processes share the database', async () => {
    await migrateEscalationJobs(sql);
    await sql.exec('TRUNCATE escalation_jobs, escalation_dead_letters');
    const pools = [await connect(), await connect()];
    const queues = await Promise.all(pools.map((pool) => InProcessEscalationQueue.create({ sql: pool, retry: CONTRACT_RETRY, retainCompletedSeconds: 3_600, pollIntervalMs: 50 })));
    try {
      const runs = recorder(() => new Promise((resolve) => setTimeout(resolve, 5)));
      for (const queue of queues) queue.process('escalations', runs.handler, { concurrency: 3 });
      const ids = Array.from({ length: 60 }, (_, i) => `shared-${i}`);
      await queues[0]!.enqueue(ids.slice(0, 30).map((id) => job(id)));
      await queues[1]!.enqueue(ids.slice(30).map((id) => job(id)));
      await until('every job ran', () => runs.calls.length >= ids.length);
      await completed(queues[0]!, 'escalations', ids.length);
      expect(runs.calls.map((call) => call.id).sort()).toEqual([...ids].sort());
    } finally {
      for (const queue of queues) await queue.close();
      for (const pool of pools) await pool.close();
    }
  });
});
