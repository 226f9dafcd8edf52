import type { SqlQueryable } from '@ahe/database';
import type { ProjectionTable } from '@ahe/projections';
import type { EscalationWatch } from '../workflow';

/** The process manager's own state: one row per account, what its rules need to remember. */
export const ESCALATION_WATCH = 'escalation_watch';

export const escalationWatchTable: ProjectionTable = {
  name: ESCALATION_WATCH,
  ddl: (physical) => `
    CREATE TABLE ${physical} (
      account_id text PRIMARY KEY,
      watch jsonb NOT NULL,
      recheck_at timestamptz,
      position bigint NOT NULL
    );
    CREATE INDEX ${physical}_recheck ON ${physical} (recheck_at) WHERE recheck_at IS NOT NULL;`,
};

export interface StoredWatch {
  readonly accountId: string;
  readonly watch: EscalationWatch;
  readonly recheckAt: Date | null;
  readonly position: number;
}

export async function loadWatches(tx: SqlQueryable, table: string, accountIds: readonly string[]): Promise<Map<string, EscalationWatch>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await tx.query<{ account_id: string; watch: EscalationWatch }>(
    `SELECT account_id, watch FROM ${table} WHERE account_id = ANY($1::text[])`,
    [accountIds],
  );
  return new Map(rows.map((row) => [row.account_id, row.watch]));
}

/** Rows whose time-based rules are due, oldest first, a chunk at a time. */
export async function dueWatches(tx: SqlQueryable, table: string, now: Date, limit: number): Promise<EscalationWatch[]> {
  const { rows } = await tx.query<{ watch: EscalationWatch }>(
    `SELECT watch FROM ${table} WHERE recheck_at <= $1 ORDER BY recheck_at, account_id LIMIT ${limit}`,
    [now.toISOString()],
  );
  return rows.map((row) => row.watch);
}

export async function saveWatches(tx: SqlQueryable, table: string, watches: readonly StoredWatch[]): Promise<void> {
  if (watches.length === 0) return;
  const rows = watches.map((stored) => ({
    account_id: stored.accountId,
    watch: stored.watch,
    recheck_at: stored.recheckAt?.toISOString() ?? null,
    position: stored.position,
  }));
  await tx.query(
    `INSERT INTO ${table} (account_id, watch, recheck_at, position)
     SELECT account_id, watch, recheck_at, position
     FROM jsonb_to_recordset($1::jsonb) AS row(account_id text, watch jsonb, recheck_at timestamptz, position bigint)
     ON CONFLICT (account_id) DO UPDATE
       SET watch = excluded.watch, recheck_at = excluded.recheck_at, position = excluded.position`,
    [JSON.stringify(rows)],
  );
}
