import type { SqlClient } from '@ahe/database';

/**
 * Stored responses of writes sent with an Idempotency-Key, per API key identity. Plain SQL that
 * PostgreSQL and PGlite both run; applied once, under an advisory lock, like the store's own.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE idempotency_keys (
    idempotency_key text NOT NULL,
    identity        text NOT NULL,
    request_hash    text NOT NULL,
    status          integer NOT NULL,
    -- text, not jsonb: a replay must send the very bytes of the first response.
    body            text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (identity, idempotency_key)
  );
  CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
  `,
];

const LOCK_KEY = 7_204_311_002;

export async function migrateIdempotencyKeys(sql: SqlClient): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS idempotency_migrations (
      version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ version: number }>('SELECT coalesce(max(version), 0)::int AS version FROM idempotency_migrations');
    for (let version = rows[0]!.version + 1; version <= MIGRATIONS.length; version++) {
      await tx.exec(MIGRATIONS[version - 1]!);
      await tx.query('INSERT INTO idempotency_migrations (version) VALUES ($1)', [version]);
    }
  });
}
