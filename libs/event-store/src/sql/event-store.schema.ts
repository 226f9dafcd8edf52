import { migrate, type SqlClient } from '@ahe/database';

/**
 * Applied in order, each once, under an advisory lock so that processes starting together
 * do not race. Append-only: a released migration is never edited.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE event_streams (
    stream_id        text PRIMARY KEY,
    revision         bigint NOT NULL,
    last_hash        text NOT NULL,
    last_recorded_at timestamptz,
    -- The transaction that wrote the head: a writer whose own transaction id is lower must
    -- retry, or its events would come before the head's in the global log order.
    last_transaction_id bigint NOT NULL DEFAULT 0
  );
  CREATE TABLE events (
    global_position bigint GENERATED ALWAYS AS IDENTITY,
    transaction_id  bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    stream_id       text NOT NULL,
    revision        bigint NOT NULL,
    event_id        uuid NOT NULL,
    type            text NOT NULL,
    schema_version  integer NOT NULL,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    data            jsonb NOT NULL,
    metadata        jsonb NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (global_position),
    CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision),
    CONSTRAINT events_event_id_key UNIQUE (event_id)
  );
  -- Readers of the global log order by (transaction_id, global_position): this index is what
  -- keeps a page read proportional to the page, not to the log.
  CREATE INDEX events_log_order_idx ON events (transaction_id, global_position);
  CREATE INDEX events_type_idx ON events (type);
  `,
  // NOT VALID: new and updated rows are checked, the rows already stored are not scanned. A
  // scan would hold the table's lock for the whole log and refuse to start a store that already
  // holds such a row; verification names that row instead.
  `ALTER TABLE events ADD CONSTRAINT events_revision_not_negative CHECK (revision >= 0) NOT VALID;`,
];

/** Any constant shared by every process of the engine. */
const LOCK_KEY = 7_204_311_001;

export function migrateEventStore(sql: SqlClient): Promise<void> {
  return migrate(sql, { table: 'event_store_migrations', lockKey: LOCK_KEY, migrations: MIGRATIONS });
}

export const NOTIFY_CHANNEL = 'ahe_events';
