import type { SqlClient } from './sql-client';

export interface MigrationSet {
  /** Table recording which versions are applied; a trusted constant, never user input. */
  readonly table: string;
  /** pg_advisory_xact_lock key, so processes starting together do not race. */
  readonly lockKey: number;
  /** Applied in order, each once. Append-only: a released migration is never edited. */
  readonly migrations: readonly string[];
}

/** Brings a set of tables up to date in one transaction; runs on PostgreSQL and PGlite alike. */
export async function migrate(sql: SqlClient, set: MigrationSet): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [set.lockKey]);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${set.table} (
      version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: number }>(`SELECT coalesce(max(version), 0)::int AS version FROM ${set.table}`);
    for (let version = rows[0]!.version + 1; version <= set.migrations.length; version++) {
      await tx.exec(set.migrations[version - 1]!);
      await tx.query(`INSERT INTO ${set.table} (version) VALUES ($1)`, [version]);
    }
  });
}
