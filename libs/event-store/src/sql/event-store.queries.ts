import { EVENT_COLUMNS } from './event-rows';

// $4: true for the recorded axis, false for occurred; $5: the as-of instant or NULL.
const AS_OF = `($5::timestamptz IS NULL OR (CASE WHEN $4::boolean THEN recorded_at ELSE occurred_at END) <= $5::timestamptz)`;

const INPUT = `input AS (
      SELECT * FROM json_to_recordset($1::json) AS x(
        event_id uuid, revision bigint, type text, schema_version integer,
        occurred_at timestamptz, recorded_at timestamptz, data jsonb, metadata jsonb))`;

export const SQL = {
  /** Creates the stream's head row if needed and locks it for the rest of the transaction. */
  lockStream: `
    INSERT INTO event_streams (stream_id, revision, last_hash) VALUES ($1, -1, $2)
    ON CONFLICT (stream_id) DO UPDATE SET stream_id = excluded.stream_id
    RETURNING revision, last_hash, last_recorded_at, last_transaction_id::text,
              pg_current_xact_id()::text::bigint::text AS transaction_id`,

  /** Inserts the batch and moves the head, inside the transaction that locked it. */
  insertEvents: `
    WITH ${INPUT}, inserted AS (
      INSERT INTO events (stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata)
      SELECT $2, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata
      FROM input ORDER BY revision
      RETURNING global_position, transaction_id
    ), head AS (
      UPDATE event_streams
      SET revision = $3, last_hash = $4, last_recorded_at = $5, last_transaction_id = pg_current_xact_id()::text::bigint
      WHERE stream_id = $2
    )
    SELECT max(global_position)::text AS position, max(transaction_id)::text AS transaction_id FROM inserted`,

  /**
   * The fast path, one statement: moves the head only if it is still where the writer saw it
   * ($6, $7) and was written by an older transaction, and inserts the batch only if the head
   * moved. A concurrent writer makes the UPDATE match nothing (PostgreSQL re-checks the row
   * after waiting for its lock).
   */
  appendIfHead: `
    WITH ${INPUT}, head AS (
      UPDATE event_streams
      SET revision = $3, last_hash = $4, last_recorded_at = $5, last_transaction_id = pg_current_xact_id()::text::bigint
      WHERE stream_id = $2 AND revision = $6 AND last_hash = $7
        AND last_transaction_id < pg_current_xact_id()::text::bigint
      RETURNING stream_id
    ), inserted AS (
      INSERT INTO events (stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata)
      SELECT head.stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata
      FROM input CROSS JOIN head ORDER BY input.revision
      RETURNING global_position, transaction_id
    )
    SELECT max(global_position)::text AS position, max(transaction_id)::text AS transaction_id FROM inserted`,

  findByIds: `
    SELECT event_id, stream_id, revision, global_position, transaction_id, type, schema_version, occurred_at, data FROM events
    WHERE event_id IN (SELECT value::uuid FROM json_array_elements_text($1::json))
    ORDER BY stream_id, revision`,

  readStreamForward: `
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE stream_id = $1 AND revision >= $2 AND ${AS_OF}
    ORDER BY revision LIMIT $3`,

  readStreamBackward: `
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE stream_id = $1 AND revision <= $2 AND ${AS_OF}
    ORDER BY revision DESC LIMIT $3`,

  readStreamPage: `
    SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,

  /**
   * The watermark: every transaction below the snapshot's xmin has finished, so nothing can
   * later appear before the rows returned here.
   */
  readAll: `
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE (transaction_id, global_position) > ($1::bigint, $2::bigint)
      AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    ORDER BY transaction_id, global_position
    LIMIT $3`,

  hiddenAfter: `
    SELECT EXISTS (SELECT 1 FROM events WHERE (transaction_id, global_position) > ($1::bigint, $2::bigint)) AS hidden`,
} as const;
