import { migrate, type SqlClient } from '@ahe/database';

/**
 * The in-process queue's rows. Plain SQL that PostgreSQL and PGlite both run; every change of
 * state is one statement (or one transaction), so a crash leaves no half-moved job.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE escalation_jobs (
    queue         text NOT NULL,
    id            text NOT NULL,
    name          text NOT NULL,
    data          jsonb NOT NULL,
    run_at        timestamptz NOT NULL,
    -- The instant asked for (QueuedJob.runAtMs); run_at moves on with each retry.
    scheduled_at  timestamptz,
    attempts_made integer NOT NULL DEFAULT 0,
    state         text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'active', 'completed', 'failed')),
    last_error    text,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (queue, id)
  );
  CREATE INDEX escalation_jobs_due_idx ON escalation_jobs (queue, run_at) WHERE state = 'waiting';
  CREATE INDEX escalation_jobs_completed_idx ON escalation_jobs (updated_at) WHERE state = 'completed';
  CREATE TABLE escalation_dead_letters (
    queue     text NOT NULL,
    id        text NOT NULL,
    name      text NOT NULL,
    data      jsonb NOT NULL,
    attempts  integer NOT NULL,
    error     text NOT NULL,
    failed_at timestamptz NOT NULL,
    PRIMARY KEY (queue, id)
  );
  CREATE INDEX escalation_dead_letters_failed_at_idx ON escalation_dead_letters (failed_at DESC);
  `,
  // Every claim counts: a start whose process died mid-job records no outcome, and a job that
  // keeps killing its process would otherwise run for ever.
  `ALTER TABLE escalation_jobs ADD COLUMN attempts_started integer NOT NULL DEFAULT 0;`,
];

const LOCK_KEY = 7_204_311_006;

export function migrateEscalationJobs(sql: SqlClient): Promise<void> {
  return migrate(sql, { table: 'escalation_jobs_migrations', lockKey: LOCK_KEY, migrations: MIGRATIONS });
}
