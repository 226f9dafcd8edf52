import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@ahe/database';
import { describeEscalationQueueContract } from './escalation-queue.contract';
import { CONTRACT_RETRY, QUIET_MS, completed, depthOf, job, recorder, sleep, until } from './escalation-queue-probes.contract';
import { describeInProcessQueue, inProcessFactory } from './in-process-escalation-queue.contract';
import { InProcessEscalationQueue, type InProcessEscalationQueueOptions } from './in-process-escalation-queue';
import { describeInProcessOutcomes } from './in-process-job-outcomes.contract';
import { migrateEscalationJobs } from './escalation-job.store';
import { escalationQueueLockKey } from './queue-ownership';

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
  describe('recording outcomes', () => describeInProcessOutcomes(() => sql));

  describe('several processes on one database', () => {
    const processes: { pool: SqlClient; queue: InProcessEscalationQueue }[] = [];
    /** A process of its own: its own pool, so its own session for the lock. */
    const start = async (options: Partial<InProcessEscalationQueueOptions> = {}) => {
      const pool = await connect();
      const queue = await InProcessEscalationQueue.create({ sql: pool, retry: CONTRACT_RETRY, retainCompletedSeconds: 3_600, pollIntervalMs: 50, lockRetryMs: 100, ...options });
      processes.push({ pool, queue });
      return queue;
    };
    const state = async (id: string) => (await sql.query<{ state: string }>('SELECT state FROM escalation_jobs WHERE id = $1', [id])).rows[0]?.state;
    beforeEach(async () => {
      await migrateEscalationJobs(sql);
      await sql.exec('TRUNCATE escalation_jobs, escalation_dead_letters');
    });
    afterEach(async () => {
      for (const { pool, queue } of processes.splice(0)) {
        await queue.close();
        await pool.close();
      }
    });

    it('runs jobs in one process only, and each once; the other takes over when it stops', async () => {
      const [first, second] = [await start(), await start()];
      const [firstRuns, secondRuns] = [recorder(() => sleep(5)), recorder(() => sleep(5))];
      first!.process('escalations', firstRuns.handler, { concurrency: 3 });
      second!.process('escalations', secondRuns.handler, { concurrency: 3 });
      const ids = Array.from({ length: 60 }, (_, i) => `shared-${i}`);
      await first!.enqueue(ids.slice(0, 30).map((id) => job(id)));
      await second!.enqueue(ids.slice(30).map((id) => job(id)));
      await completed(first!, 'escalations', ids.length);
      const all = [...firstRuns.calls, ...secondRuns.calls];
      expect(all.map((call) => call.id).sort()).toEqual([...ids].sort());
      // Whichever took the lock ran everything.
      expect([firstRuns.calls.length, secondRuns.calls.length].sort((a, b) => a - b)).toEqual([0, ids.length]);

      const [holder, standby, standbyRuns] = firstRuns.calls.length > 0 ? [first!, second!, secondRuns] : [second!, first!, firstRuns];
      const runAtMs = Date.now() + 300;
      await holder.enqueue(['later-1', 'later-2', 'later-3'].map((id) => job(id, {}, { runAtMs })));
      await holder.close();
      await completed(standby, 'escalations', ids.length + 3);
      await sleep(QUIET_MS);
      expect(standbyRuns.calls.map((call) => call.id).sort()).toEqual(['later-1', 'later-2', 'later-3']);
    });

    it('leaves a live holder’s active rows alone, and the next holder requeues what a crash left active', async () => {
      const holder = await start();
      let finish!: () => void;
      const gate = new Promise<void>((resolve) => (finish = resolve));
      const held = recorder(() => gate);
      holder.process('escalations', held.handler, { concurrency: 1 });
      await holder.enqueue([job('in-flight')]);
      await until('the holder runs its job', () => held.calls.length === 1);
      // What a crashed holder would have left behind, written while the live one holds the lock.
      await sql.query(`INSERT INTO escalation_jobs (queue, id, name, data, run_at, updated_at, state) VALUES ('escalations', 'orphan', 'open', '{}', now(), now(), 'active')`);

      const standby = await start();
      const taken = recorder();
      standby.process('escalations', taken.handler, { concurrency: 1 });
      await sleep(500);
      expect(taken.calls).toEqual([]);
      expect([await state('in-flight'), await state('orphan')]).toEqual(['active', 'active']);

      finish();
      await holder.close();
      await until('the orphan ran', () => taken.calls.length === 1);
      await completed(standby, 'escalations', 2);
      await sleep(QUIET_MS);
      expect(taken.calls.map((call) => [call.id, call.attempt])).toEqual([['orphan', 1]]);
      expect(held.calls.map((call) => call.id)).toEqual(['in-flight']);
    });

    it('takes over when the holder’s session dies, and the holder starts nothing more', async () => {
      const warnings: string[] = [];
      // A late retry for the old holder, so the standby is the one to take the lock.
      const holder = await start({ lockRetryMs: 60_000, logger: { log: () => undefined, warn: (message) => void warnings.push(message), error: () => undefined } });
      const held = recorder();
      holder.process('escalations', held.handler, { concurrency: 1 });
      await holder.enqueue([job('probe')]);
      await until('the holder runs jobs', () => held.calls.length === 1);
      const standby = await start();
      const taken = recorder();
      standby.process('escalations', taken.handler, { concurrency: 1 });

      // PostgreSQL splits a bigint advisory key into classid (high half) and objid (low half).
      const key = BigInt.asUintN(64, escalationQueueLockKey(schema));
      const { rows } = await sql.query<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2 AND objsubid = 1`,
        [(key >> 32n).toString(), (key & 0xffffffffn).toString()],
      );
      expect(rows).toEqual([{ ended: true }]);
      await until('the holder noticed', () => warnings.some((message) => /lock lost/.test(message)));

      const ids = ['after-crash-1', 'after-crash-2', 'after-crash-3'];
      await holder.enqueue(ids.map((id) => job(id)));
      await until('the standby ran them', () => taken.calls.length === 3);
      await sleep(QUIET_MS);
      expect(taken.calls.map((call) => call.id).sort()).toEqual(ids);
      expect(held.calls.map((call) => call.id)).toEqual(['probe']);
      expect(await depthOf(standby, 'escalations')).toMatchObject({ completed: 4, active: 0 });
    });
  });
});
