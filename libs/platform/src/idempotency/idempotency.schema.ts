import { migrate, type SqlClient } from '@ahe/database';

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
  // Claims (status 0) lapse after minutes, not a day: the purge finds them without the answers.
  `CREATE INDEX idempotency_keys_claims_idx ON idempotency_keys (created_at) WHERE status = 0;`,
];

const LOCK_KEY = 7_204_311_002;

export function migrateIdempotencyKeys(sql: SqlClient): Promise<void> {
  return migrate(sql, { table: 'idempotency_migrations', lockKey: LOCK_KEY, migrations: MIGRATIONS });
}
