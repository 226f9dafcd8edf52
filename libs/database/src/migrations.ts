import type { SqlClient } from './sql-client';

export interface MigrationSet {
  /** Table recording which versions are applied; a trusted constant, never user input. */
  readonly table: string;
  /** pg_advisory_xact_lock key, so processes starting together do not race. */
  readonly lockKey: number;
  /** Applied in order, each once. Append-only: a released migration is never edited. */
  readonly migrations: readonly string[];
  /** How long a migration waits for a lock on a table it changes, each try; default MIGRATION_LOCK_TIMEOUT_MS. */
  readonly lockTimeoutMs?: number;
  /** Tries before giving up, a growing pause between them; default MIGRATION_LOCK_TRIES. */
  readonly lockTries?: number;
}

/**
 * An ALTER TABLE waits for every transaction using the table, and every statement on the table
 * queues behind it meanwhile: behind an import or a long query left open, the whole store would
 * stop. So a migration waits a little at a time, letting the queue drain in between, and after
 * its last try stops only the process starting.
 */
export const MIGRATION_LOCK_TIMEOUT_MS = 2_000;
export const MIGRATION_LOCK_TRIES = 5;
const FIRST_PAUSE_MS = 1_000;

/** A migration gave up waiting for a lock: nothing of it was applied. */
export class MigrationLockTimeoutError extends Error {
  override readonly name = 'MigrationLockTimeoutError';

  constructor(table: string, version: number, timeoutMs: number, tries: number, options: { readonly cause: unknown }) {
    super(
      `${table} version ${version} waited ${tries} × ${timeoutMs} ms for a lock on a table another transaction is using ` +
        '(an import, a long query, a session left idle in a transaction); nothing was changed: start again once it has ended',
      options,
    );
  }
}

/** Brings a set of tables up to date in one transaction; runs on PostgreSQL and PGlite alike. */
export async function migrate(sql: SqlClient, set: MigrationSet): Promise<void> {
  const timeoutMs = Math.trunc(set.lockTimeoutMs ?? MIGRATION_LOCK_TIMEOUT_MS);
  const tries = set.lockTries ?? MIGRATION_LOCK_TRIES;
  for (let tried = 1; ; tried++) {
    try {
      return await migrateOnce(sql, set, timeoutMs);
    } catch (error) {
      if (!(error instanceof LockWaitExpired)) throw error;
      if (tried >= tries) throw new MigrationLockTimeoutError(set.table, error.version, timeoutMs, tries, { cause: error.cause });
      await new Promise((resolve) => setTimeout(resolve, FIRST_PAUSE_MS * 2 ** (tried - 1)));
    }
  }
}

async function migrateOnce(sql: SqlClient, set: MigrationSet, timeoutMs: number): Promise<void> {
  await sql.transaction(async (tx) => {
    // Processes starting together wait here for one another, without a limit: that wait is short.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [set.lockKey]);
    await tx.exec(`SET LOCAL lock_timeout = ${timeoutMs}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${set.table} (
      version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: number }>(`SELECT coalesce(max(version), 0)::int AS version FROM ${set.table}`);
    for (let version = rows[0]!.version + 1; version <= set.migrations.length; version++) {
      await tx.exec(set.migrations[version - 1]!).catch((error: unknown) => {
        throw isLockTimeout(error) ? new LockWaitExpired(version, error) : error;
      });
      await tx.query(`INSERT INTO ${set.table} (version) VALUES ($1)`, [version]);
    }
  });
}

class LockWaitExpired extends Error {
  constructor(
    readonly version: number,
    override readonly cause: unknown,
  ) {
    super('lock wait expired');
  }
}

const isLockTimeout = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === '55P03';
