import type { SqlClient } from '@ahe/database';
import type { EscalationQueueName } from '../escalation-jobs';
import type { RetryPolicy } from './escalation-queue.port';
import { CONTRACT_RETRY, QUIET_MS, completed, job, recorder, sleep, until } from './escalation-queue-probes.contract';
import { migrateEscalationJobs } from './escalation-job.store';
import { InProcessEscalationQueue } from './in-process-escalation-queue';
import { MAX_RETRY_DELAY_MS } from './queue-rules';

interface Row {
  state: string;
  attempts_made: number;
  last_error: string | null;
  delay_ms: number;
}

/** The in-process queue's bookkeeping after an attempt: it must never leave a row active. */
export function describeInProcessOutcomes(sql: () => SqlClient): void {
  const opened: InProcessEscalationQueue[] = [];
  const open = async (retry: Readonly<Record<EscalationQueueName, RetryPolicy>> = CONTRACT_RETRY) => {
    const queue = await InProcessEscalationQueue.create({ sql: sql(), retry, retainCompletedSeconds: 3_600, pollIntervalMs: 50, lockRetryMs: 100 });
    opened.push(queue);
    return queue;
  };
  const row = async (id: string): Promise<Row | undefined> =>
    (
      await sql().query<Row>(
        `SELECT state, attempts_made, last_error, (extract(epoch FROM run_at - updated_at) * 1000)::float8 AS delay_ms FROM escalation_jobs WHERE id = $1`,
        [id],
      )
    ).rows[0];
  beforeEach(async () => {
    await migrateEscalationJobs(sql());
    await sql().exec('TRUNCATE escalation_jobs, escalation_dead_letters');
  });
  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.close();
  });

  it('retries after 24 h at most (100 attempts, 1 h backoff), even where the uncapped wait is past any date', async () => {
    const queue = await open({ ...CONTRACT_RETRY, escalations: { attempts: 100, backoffMs: 3_600_000 } });
    await queue.enqueue([job('long'), job('persistent')]);
    // Uncapped, the next waits would be 2^10 hours, and 2^40 hours (an invalid Date).
    await sql().query(`UPDATE escalation_jobs SET attempts_made = CASE id WHEN 'long' THEN 10 ELSE 40 END`);
    const runs = recorder(() => Promise.reject(new Error('receiver answered 503')));
    queue.process('escalations', runs.handler, { concurrency: 2 });
    await until('both failures recorded', async () => (await row('long'))?.attempts_made === 11 && (await row('persistent'))?.attempts_made === 41);
    expect(runs.calls.map((call) => [call.id, call.attempt]).sort()).toEqual([
      ['long', 11],
      ['persistent', 41],
    ]);
    const retried = { state: 'waiting', last_error: 'receiver answered 503', delay_ms: MAX_RETRY_DELAY_MS };
    expect(await row('long')).toEqual({ ...retried, attempts_made: 11 });
    expect(await row('persistent')).toEqual({ ...retried, attempts_made: 41 });
  });

  it('records an error message holding a NUL byte (PostgreSQL text cannot)', async () => {
    const queue = await open();
    const runs = recorder(() => Promise.reject(new Error('binary\u0000garbage')));
    queue.process('escalations', runs.handler, { concurrency: 1 });
    await queue.enqueue([job('nul')]);
    await until('the dead letter', async () => (await queue.deadLetters(1)).length === 1);
    expect((await queue.deadLetters(1))[0]!.error).toBe('binary\uFFFDgarbage');
    expect(await row('nul')).toMatchObject({ state: 'failed', attempts_made: 3 });
  });

  it('records an outcome the database refused at first at a later pass, without a restart', async () => {
    // A real refusal of the write, while the flag row exists; claims (waiting → active) still pass.
    await sql().exec(`
      CREATE TABLE IF NOT EXISTS escalation_jobs_refusal (on_purpose boolean);
      CREATE OR REPLACE FUNCTION escalation_jobs_refuse() RETURNS trigger AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM escalation_jobs_refusal) THEN RAISE EXCEPTION 'simulated outage'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      DROP TRIGGER IF EXISTS escalation_jobs_refuse ON escalation_jobs;
      CREATE TRIGGER escalation_jobs_refuse BEFORE UPDATE ON escalation_jobs FOR EACH ROW WHEN (OLD.state = 'active') EXECUTE FUNCTION escalation_jobs_refuse();
      INSERT INTO escalation_jobs_refusal VALUES (true);
    `);
    try {
      const queue = await open();
      const runs = recorder(({ job: { id }, attempt }) => (id === 'refused-retry' && attempt === 1 ? Promise.reject(new Error('flaky')) : Promise.resolve()));
      queue.process('escalations', runs.handler, { concurrency: 2 });
      await queue.enqueue([job('refused-retry'), job('refused-completion')]);
      await until('both attempts ran', () => runs.calls.length === 2);
      await sleep(300);
      expect((await row('refused-retry'))?.state).toBe('active');
      expect((await row('refused-completion'))?.state).toBe('active');

      await sql().exec('DELETE FROM escalation_jobs_refusal');
      await until('the retries written', async () => (await row('refused-retry'))?.state !== 'active' && (await row('refused-completion'))?.state !== 'active');
      await completed(queue, 'escalations', 2);
      await sleep(QUIET_MS);
      expect(runs.calls.map((call) => [call.id, call.attempt]).sort()).toEqual([
        ['refused-completion', 1],
        ['refused-retry', 1],
        ['refused-retry', 2],
      ]);
    } finally {
      await sql().exec(`DROP TRIGGER IF EXISTS escalation_jobs_refuse ON escalation_jobs; DROP TABLE IF EXISTS escalation_jobs_refusal;`);
    }
  });
}
