import { NOTIFY_CHANNEL } from './event-store.schema';

/**
 * The batch as parallel arrays zipped by ROWS FROM: scalars as arrays, data and metadata as
 * their JSON texts one a line (canonical JSON holds no raw line break), split by
 * string_to_table and each made jsonb on its own, as COPY parses a row. A JSON array instead
 * is lexed three times (the json parameter's input, json_array_elements, each element's jsonb),
 * a line once.
 * $1 stream, $2 last revision, $3 last hash, $4 recorded_at, $5 the revision before the batch,
 * $6 event ids, $7 types, $8 schema versions, $9 occurred_at, $10 data, $11 metadata.
 */
const INPUT = `input AS (
      SELECT $5::bigint + x.n AS revision, x.event_id, x.type, x.schema_version, x.occurred_at,
             x.data::jsonb AS data, x.metadata::jsonb AS metadata
      FROM ROWS FROM (
        unnest($6::uuid[]), unnest($7::text[]), unnest($8::integer[]), unnest($9::timestamptz[]),
        string_to_table($10::text, E'\\n'), string_to_table($11::text, E'\\n')
      ) WITH ORDINALITY AS x(event_id, type, schema_version, occurred_at, data, metadata, n))`;

/**
 * The head check and move of the fast path: moves the head ($1) to the batch's last revision,
 * hash and recording instant ($2-$4) only if it is still where the writer saw it ($5, $12) and
 * was written by an older transaction. A concurrent writer makes it match nothing (PostgreSQL
 * re-checks the row after waiting for its lock).
 */
const HEAD_IF_AT = `head AS (
      UPDATE event_streams
      SET revision = $2, last_hash = $3, last_recorded_at = $4, last_transaction_id = pg_current_xact_id()::text::bigint
      WHERE stream_id = $1 AND revision = $5 AND last_hash = $12
        AND last_transaction_id < pg_current_xact_id()::text::bigint
      RETURNING stream_id
    )`;

/**
 * HEAD_IF_AT for the group commit's statements (GroupCommit), which must never wait for a head
 * row another transaction holds locked (an import, a writer of another process): every append
 * queued behind the statement would wait with it. A locked head is skipped; the row comes back
 * unwritten and its caller alone takes the locked path, which waits for the lock.
 */
const HEAD_IF_AT_UNLOCKED = HEAD_IF_AT.replace(
  'WHERE stream_id = $1 AND',
  'WHERE stream_id = (SELECT stream_id FROM event_streams WHERE stream_id = $1 FOR UPDATE SKIP LOCKED) AND',
);

const INSERT_INPUT = `INSERT INTO events (stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata)`;

/**
 * The single-stream append (SqlAppender): its lock, insert and head checks. GroupWriter sends
 * appendOneIfHead for a group of one, and MultiStreamAppender shares findByIds, the appends'
 * look-up of stored event ids; reads of a stream or of the log are in event-read.queries.ts.
 */
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
      ${INSERT_INPUT}
      SELECT $1, revision, event_id, type, schema_version, occurred_at, $4, data, metadata
      FROM input ORDER BY revision
      RETURNING global_position, transaction_id
    ), head AS (
      UPDATE event_streams
      SET revision = $2, last_hash = $3, last_recorded_at = $4, last_transaction_id = pg_current_xact_id()::text::bigint
      WHERE stream_id = $1
    )
    SELECT max(global_position)::text AS position, max(transaction_id)::text AS transaction_id FROM inserted`,

  /**
   * The fast path, one statement: HEAD_IF_AT, and the batch inserted only if the head moved.
   * With $13 true and the head moved, it also sends the commit wake-up (claimInlineNotify),
   * delivered at its commit: no NOTIFY statement and transaction of its own.
   */
  appendIfHead: `
    WITH ${INPUT}, ${HEAD_IF_AT}, inserted AS (
      ${INSERT_INPUT}
      SELECT head.stream_id, revision, event_id, type, schema_version, occurred_at, $4, data, metadata
      FROM input CROSS JOIN head ORDER BY input.revision
      RETURNING global_position, transaction_id
    ), notified AS (
      SELECT pg_notify('${NOTIFY_CHANNEL}', '') FROM head WHERE $13::boolean
    )
    SELECT max(global_position)::text AS position, max(transaction_id)::text AS transaction_id,
           (SELECT count(*) FROM notified)::int AS notified
    FROM inserted`,

  /**
   * SQL.appendIfHead for a batch of one event (every command of the API): the same head check
   * and move, with the event's columns as plain parameters ($6-$11) instead of arrays to unnest,
   * which spares the database the array and JSON-array parsing, the sort and the aggregate.
   * No row when the head has moved.
   */
  appendOneIfHead: `
    WITH ${HEAD_IF_AT_UNLOCKED}
    ${INSERT_INPUT}
    SELECT stream_id, $2, $6::uuid, $7, $8::integer, $9::timestamptz, $4, $10::jsonb, $11::jsonb FROM head
    RETURNING global_position::text AS position, transaction_id::text AS transaction_id`,

  /** The stored events among the ids of an append ($1, a JSON array), to tell a retry from a reuse. */
  findByIds: `
    SELECT event_id, stream_id, revision, global_position, transaction_id, type, schema_version, occurred_at, data FROM events
    WHERE event_id IN (SELECT value::uuid FROM json_array_elements_text($1::json))
    ORDER BY stream_id, revision`,
} as const;

/** Statements of the multi-stream append (SqlEventStore.appendStreams), one transaction. */
export const MULTI_STREAM_SQL = {
  /** Creates missing heads and locks all of them, in stream id order so two writers cannot deadlock. */
  lockStreams: `
    INSERT INTO event_streams (stream_id, revision, last_hash)
    SELECT stream_id, -1, $2 FROM unnest($1::text[]) AS s(stream_id) ORDER BY stream_id
    ON CONFLICT (stream_id) DO UPDATE SET stream_id = excluded.stream_id
    RETURNING stream_id, revision, last_hash, last_recorded_at, last_transaction_id::text,
              pg_current_xact_id()::text::bigint::text AS transaction_id`,

  /**
   * Every stream's events in one INSERT (arrays zipped as in SQL.appendIfHead; $1 and $2 per
   * event) and every head moved in one UPDATE ($10-$13 per stream).
   */
  insertStreams: `
    WITH input AS (
      SELECT x.* FROM ROWS FROM (
        unnest($1::text[]), unnest($2::bigint[]), unnest($3::uuid[]), unnest($4::text[]), unnest($5::integer[]),
        unnest($6::timestamptz[]), unnest($7::timestamptz[]), string_to_table($8::text, E'\\n'), string_to_table($9::text, E'\\n')
      ) WITH ORDINALITY AS x(stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata, n)
    ), inserted AS (
      ${INSERT_INPUT}
      SELECT stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data::jsonb, metadata::jsonb
      FROM input ORDER BY n
      RETURNING stream_id, global_position, transaction_id
    ), heads AS (
      UPDATE event_streams
      SET revision = h.revision, last_hash = h.hash, last_recorded_at = h.recorded_at,
          last_transaction_id = pg_current_xact_id()::text::bigint
      FROM ROWS FROM (unnest($10::text[]), unnest($11::bigint[]), unnest($12::text[]), unnest($13::timestamptz[]))
        AS h(stream_id, revision, hash, recorded_at)
      WHERE event_streams.stream_id = h.stream_id
    )
    SELECT stream_id, max(global_position)::text AS position, max(transaction_id)::text AS transaction_id
    FROM inserted GROUP BY stream_id`,
} as const;

/** The group commit of single-event appends (GroupCommit): one statement, one transaction, many streams. */
export const GROUP_SQL = {
  /**
   * SQL.appendOneIfHead for one event on each of many streams, each row on its own: a head
   * still where its writer saw it (the revision before the event's, and the hash) and written
   * by an older transaction moves, and only the events of heads that moved are inserted.
   * Per stream: $1 stream, $2 the event's revision, $3 the head's hash before it, $4 its
   * hash; then the event's columns as in MULTI_STREAM_SQL.insertStreams ($5-$11). Answers
   * one row per stream written. Heads are updated in the order given (stream id order).
   */
  appendEachIfHead: `
    WITH input AS (
      SELECT x.* FROM ROWS FROM (
        unnest($1::text[]), unnest($2::bigint[]), unnest($3::text[]), unnest($4::text[]), unnest($5::uuid[]), unnest($6::text[]),
        unnest($7::integer[]), unnest($8::timestamptz[]), unnest($9::timestamptz[]), string_to_table($10::text, E'\\n'), string_to_table($11::text, E'\\n')
      ) WITH ORDINALITY AS x(stream_id, revision, previous_hash, hash, event_id, type, schema_version, occurred_at, recorded_at, data, metadata, n)
    ), head AS (
      UPDATE event_streams
      SET revision = input.revision, last_hash = input.hash, last_recorded_at = input.recorded_at,
          last_transaction_id = pg_current_xact_id()::text::bigint
      FROM input
      WHERE event_streams.stream_id IN (SELECT stream_id FROM event_streams WHERE stream_id = ANY($1::text[]) FOR UPDATE SKIP LOCKED)
        AND event_streams.stream_id = input.stream_id
        AND event_streams.revision = input.revision - 1
        AND event_streams.last_hash = input.previous_hash
        AND event_streams.last_transaction_id < pg_current_xact_id()::text::bigint
      RETURNING event_streams.stream_id
    ), inserted AS (
      ${INSERT_INPUT}
      SELECT input.stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data::jsonb, metadata::jsonb
      FROM input JOIN head ON head.stream_id = input.stream_id ORDER BY input.n
      RETURNING stream_id, global_position, transaction_id
    )
    SELECT stream_id, global_position::text AS position, transaction_id::text AS transaction_id FROM inserted`,
} as const;
