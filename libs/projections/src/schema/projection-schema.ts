import { migrate, type SqlClient } from '@ahe/database';

/**
 * The engine's bookkeeping, beside the read models it maintains. Append-only: a released
 * migration is never edited.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE projection_generations (
    name               text NOT NULL,
    generation         integer NOT NULL,
    version            text NOT NULL,
    -- building: filled from the start of the log, not yet queried; serving: behind the views;
    -- stale: behind the views but frozen, its code version replaced; retired: swapped out.
    status             text NOT NULL CHECK (status IN ('building', 'serving', 'stale', 'retired')),
    tables             text[] NOT NULL,
    checkpoint_commit  bigint NOT NULL DEFAULT 0,
    checkpoint_prepare bigint NOT NULL DEFAULT 0,
    position           bigint,
    events_processed   bigint NOT NULL DEFAULT 0,
    events_per_second  double precision NOT NULL DEFAULT 0,
    owner              text,
    -- Fencing token of the owner's current lease: a writer that lost its lock cannot commit.
    owner_token        text,
    heartbeat_at       timestamptz,
    started_at         timestamptz NOT NULL,
    last_batch_at      timestamptz,
    caught_up_at       timestamptz,
    swapped_at         timestamptz,
    retired_at         timestamptz,
    tables_dropped_at  timestamptz,
    last_error         text,
    last_error_at      timestamptz,
    updated_at         timestamptz NOT NULL,
    CONSTRAINT projection_generations_pkey PRIMARY KEY (name, generation)
  );
  CREATE UNIQUE INDEX projection_generations_one_serving ON projection_generations (name) WHERE status IN ('serving', 'stale');
  CREATE UNIQUE INDEX projection_generations_one_building ON projection_generations (name) WHERE status = 'building';

  CREATE TABLE projection_parked_events (
    name            text NOT NULL,
    generation      integer NOT NULL,
    event_id        text NOT NULL,
    global_position bigint NOT NULL,
    stream_id       text NOT NULL,
    revision        bigint NOT NULL,
    type            text NOT NULL,
    error           text NOT NULL,
    parked_at       timestamptz NOT NULL,
    CONSTRAINT projection_parked_events_pkey PRIMARY KEY (name, generation, event_id)
  );
  CREATE INDEX projection_parked_events_latest ON projection_parked_events (name, generation, parked_at DESC);

  CREATE TABLE projection_rebuild_requests (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL,
    reason       text,
    requested_by text,
    requested_at timestamptz NOT NULL DEFAULT now(),
    handled_at   timestamptz,
    -- The generation built for it; a request made while one is building joins that one.
    generation   integer
  );
  CREATE INDEX projection_rebuild_requests_open ON projection_rebuild_requests (name) WHERE handled_at IS NULL;
  `,
  `
  -- Why a caught-up building generation was not swapped in (it parked events the serving one
  -- did not): it stays building, the serving one keeps serving, and a new rebuild replaces it.
  ALTER TABLE projection_generations ADD COLUMN swap_held text;
  `,
];

/** Any constant shared by every process of the engine, distinct from the event store's. */
const LOCK_KEY = 7_204_311_002;

/** Creates or upgrades the engine's tables; safe to call from several processes at once. */
export function ensureProjectionSchema(sql: SqlClient): Promise<void> {
  return migrate(sql, { table: 'projection_migrations', lockKey: LOCK_KEY, migrations: MIGRATIONS });
}

/** NOTIFY channel of rebuild requests; the payload is the projection's name. */
export const REBUILD_CHANNEL = 'ahe_projection_rebuild';
