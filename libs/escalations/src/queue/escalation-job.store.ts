import type { SqlClient, SqlQueryable } from '@ahe/database';
import type { EscalationQueueName } from '../escalation-jobs';
import type { DeadLetter, QueueDepth, QueuedJob } from './escalation-queue.port';

export { migrateEscalationJobs } from './escalation-job.migrations';

/** PostgreSQL text cannot hold NUL: an error message carrying one would make the write fail every time. */
function storableText(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD');
}

/** A job taken for one attempt. */
export interface ClaimedJob {
  readonly job: QueuedJob;
  readonly attempt: number;
  /** Claims of the job so far, this one included: the attempts made and those a crash cut short. */
  readonly started: number;
}

interface ClaimedRow {
  id: string;
  name: string;
  data: unknown;
  attempts_made: number;
  attempts_started: number;
  scheduled_at_ms: number | null;
}

export class EscalationJobStore {
  constructor(private readonly sql: SqlClient) {}

  /**
   * Ids the table already holds (in any state) are ignored: that is the dedupe. Written in
   * `tx` when the caller has a transaction open, so the jobs commit (or not) with it.
   */
  async insert(jobs: readonly QueuedJob[], now: Date, tx?: SqlQueryable): Promise<void> {
    if (!tx) return this.sql.transaction((own) => this.insert(jobs, now, own));
    for (const job of jobs) {
      const scheduled = job.runAtMs === undefined ? null : new Date(job.runAtMs);
      await tx.query(
        `INSERT INTO escalation_jobs (queue, id, name, data, run_at, scheduled_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) ON CONFLICT (queue, id) DO NOTHING`,
        [job.queue, job.id, job.name, JSON.stringify(job.data ?? null), scheduled ?? now, scheduled, now],
      );
    }
  }

  /** Marks up to `limit` due jobs active. SKIP LOCKED lets processes sharing a PostgreSQL database claim side by side. */
  async claim(queue: EscalationQueueName, limit: number, now: Date): Promise<ClaimedJob[]> {
    const { rows } = await this.sql.query<ClaimedRow>(
      `UPDATE escalation_jobs AS job SET state = 'active', attempts_started = job.attempts_started + 1, updated_at = $3
       FROM (SELECT queue, id FROM escalation_jobs
             WHERE queue = $1 AND state = 'waiting' AND run_at <= $3
             ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) AS due
       WHERE job.queue = due.queue AND job.id = due.id
       RETURNING job.id, job.name, job.data, job.attempts_made, job.attempts_started, (extract(epoch FROM job.scheduled_at) * 1000)::float8 AS scheduled_at_ms`,
      [queue, limit, now],
    );
    return rows.map((row) => ({
      job: { id: row.id, queue, name: row.name, data: row.data, ...(row.scheduled_at_ms === null ? {} : { runAtMs: row.scheduled_at_ms }) },
      attempt: row.attempts_made + 1,
      started: row.attempts_started,
    }));
  }

  /** Epoch ms of the earliest waiting job of these queues, if any. */
  async nextRunAt(queues: readonly EscalationQueueName[]): Promise<number | undefined> {
    if (queues.length === 0) return undefined;
    const { rows } = await this.sql.query<{ next: number | null }>(
      `SELECT (extract(epoch FROM min(run_at)) * 1000)::float8 AS next FROM escalation_jobs
       WHERE state = 'waiting' AND queue IN (${queues.map((_, i) => `$${i + 1}`).join(', ')})`,
      queues,
    );
    return rows[0]?.next ?? undefined;
  }

  /**
   * Drops the job's dead letter too, one left by an attempt whose outcome landed late: retried
   * once the completed row is purged, it would run the job a second time.
   */
  async complete(claimed: ClaimedJob, now: Date): Promise<void> {
    await this.sql.query(
      `WITH done AS (
         UPDATE escalation_jobs SET state = 'completed', attempts_made = $3, last_error = NULL, updated_at = $4
         WHERE queue = $1 AND id = $2 AND state = 'active' RETURNING queue, id)
       DELETE FROM escalation_dead_letters AS letter USING done WHERE letter.queue = done.queue AND letter.id = done.id`,
      [claimed.job.queue, claimed.job.id, claimed.attempt, now],
    );
  }

  async retry(claimed: ClaimedJob, error: string, runAt: Date, now: Date): Promise<void> {
    await this.sql.query(
      `UPDATE escalation_jobs SET state = 'waiting', attempts_made = $3, last_error = $4, run_at = $5, updated_at = $6
       WHERE queue = $1 AND id = $2 AND state = 'active'`,
      [claimed.job.queue, claimed.job.id, claimed.attempt, storableText(error), runAt, now],
    );
  }

  /** Failed for good, and copied to the dead letters, in one transaction; `attempts` made, the crashed ones included. */
  async deadLetter(claimed: ClaimedJob, error: string, now: Date, attempts = claimed.attempt): Promise<void> {
    const { job } = claimed;
    await this.sql.transaction(async (tx) => {
      await tx.query(
        `UPDATE escalation_jobs SET state = 'failed', attempts_made = $3, last_error = $4, updated_at = $5
         WHERE queue = $1 AND id = $2 AND state = 'active'`,
        [job.queue, job.id, attempts, storableText(error), now],
      );
      await tx.query(
        `INSERT INTO escalation_dead_letters (queue, id, name, data, attempts, error, failed_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7) ON CONFLICT (queue, id) DO NOTHING`,
        [job.queue, job.id, job.name, JSON.stringify(job.data ?? null), attempts, storableText(error), now],
      );
    });
  }

  /**
   * The dead letter's job back in its queue as new, in one transaction; false when there is no
   * such dead letter. A letter whose job is no longer failed (it completed after all, or waits
   * or runs again) needs no retry: it is dropped, and the answer is false too.
   */
  async retryDeadLetter(queue: EscalationQueueName, id: string, now: Date): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const { rows: [letter] } = await tx.query<{ name: string; data: unknown }>(
        `DELETE FROM escalation_dead_letters WHERE queue = $1 AND id = $2 RETURNING name, data`,
        [queue, id],
      );
      if (letter === undefined) return false;
      // The failed row is usually still there; the dead letter's copy stands in when it is not.
      const { rows: requeued } = await tx.query(
        `INSERT INTO escalation_jobs (queue, id, name, data, run_at, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5, $5)
         ON CONFLICT (queue, id) DO UPDATE SET state = 'waiting', attempts_made = 0, attempts_started = 0, last_error = NULL, run_at = $5, updated_at = $5
         WHERE escalation_jobs.state = 'failed'
         RETURNING id`,
        [queue, id, letter.name, JSON.stringify(letter.data ?? null), now],
      );
      return requeued.length > 0;
    });
  }

  /** Only a job not yet started is removed; a running or finished one keeps its row (and its id). */
  async cancel(queue: EscalationQueueName, id: string, tx: SqlQueryable = this.sql): Promise<void> {
    await tx.query(`DELETE FROM escalation_jobs WHERE queue = $1 AND id = $2 AND state = 'waiting'`, [queue, id]);
  }

  /** Jobs a crashed process left active run again: at-least-once, as BullMQ's stalled jobs do. */
  async requeueActive(now: Date): Promise<number> {
    const { rows } = await this.sql.query(`UPDATE escalation_jobs SET state = 'waiting', updated_at = $1 WHERE state = 'active' RETURNING id`, [now]);
    return rows.length;
  }

  async purgeCompleted(before: Date): Promise<void> {
    await this.sql.query(`DELETE FROM escalation_jobs WHERE state = 'completed' AND updated_at < $1`, [before]);
  }

  async depths(queues: readonly EscalationQueueName[], now: Date): Promise<QueueDepth[]> {
    const { rows } = await this.sql.query<Omit<QueueDepth, 'queue'> & { queue: string }>(
      `SELECT queue,
              count(*) FILTER (WHERE state = 'waiting' AND run_at <= $1)::int AS waiting,
              count(*) FILTER (WHERE state = 'waiting' AND run_at > $1)::int AS delayed,
              count(*) FILTER (WHERE state = 'active')::int AS active,
              count(*) FILTER (WHERE state = 'completed')::int AS completed,
              count(*) FILTER (WHERE state = 'failed')::int AS failed
       FROM escalation_jobs GROUP BY queue`,
      [now],
    );
    const { rows: dead } = await this.sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM escalation_dead_letters`);
    const empty = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
    return [
      ...queues.map((queue) => ({ ...empty, ...rows.find((row) => row.queue === queue), queue })),
      // Dead letters are never processed: they count as waiting, as in BullMQ's dead-letter queue.
      { ...empty, queue: 'dead-letter' as const, waiting: dead[0]!.count },
    ];
  }

  async deadLetters(limit: number): Promise<DeadLetter[]> {
    const { rows } = await this.sql.query<Omit<DeadLetter, 'queue' | 'failedAt'> & { queue: EscalationQueueName; failed_at: Date }>(
      `SELECT queue, id, name, data, attempts, error, failed_at FROM escalation_dead_letters ORDER BY failed_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(({ failed_at, ...row }) => ({ ...row, failedAt: new Date(failed_at).toISOString() }));
  }
}
