import { EVENT_COLUMNS, LOG_COLUMNS, LOG_COLUMNS_WITHOUT_METADATA } from './event-rows';

// $4: true for the recorded axis, false for occurred; $5: the as-of instant or NULL.
const AS_OF = `($5::timestamptz IS NULL OR (CASE WHEN $4::boolean THEN recorded_at ELSE occurred_at END) <= $5::timestamptz)`;

/**
 * Reads of a stream and of the global log (SqlEventStore, GlobalLogReader). The appends'
 * statements are in event-store.queries.ts, with findByIds, the read an append makes of
 * event ids already stored.
 */
export const READ_SQL = {
  readStreamForward: `
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE stream_id = $1 AND revision >= $2 AND ${AS_OF}
    ORDER BY revision LIMIT $3`,

  readStreamBackward: `
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE stream_id = $1 AND revision <= $2 AND ${AS_OF}
    ORDER BY revision DESC LIMIT $3`,

  /** Verification's page: the rows as stored between two revisions, negative ones included. */
  verifyPage: `
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE stream_id = $1 AND revision >= $2 AND revision <= $3
    ORDER BY revision LIMIT $4`,

  streamHead: 'SELECT revision, last_hash FROM event_streams WHERE stream_id = $1',

  /**
   * The head and the last revision stored, in one statement and so one snapshot: an append
   * adds its rows and moves the head in one transaction, so the two agree unless someone wrote
   * rows past the head behind the engine's back.
   */
  headAndLastRevision: `
    SELECT (SELECT revision FROM event_streams WHERE stream_id = $1) AS head,
           (SELECT revision FROM events WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1) AS last`,

  /**
   * The watermark: every transaction below the snapshot's xmin has finished, so nothing can
   * later appear before the rows returned here.
   */
  readAll: `
    SELECT ${LOG_COLUMNS} FROM events
    WHERE (transaction_id, global_position) > ($1::bigint, $2::bigint)
      AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    ORDER BY transaction_id, global_position
    LIMIT $3`,

  /**
   * A row when any event lies past the checkpoint, hidden or not. Ordered as the log index is,
   * with LIMIT 1, so the plan walks that index from the checkpoint whatever the row estimate:
   * as `SELECT EXISTS (…)` on a log never analyzed, PostgreSQL chose a sequential scan, which at
   * the head of the log reads the whole table to answer false, and every caught-up read model
   * asks whenever a read of the log comes back empty (docs/benchmarks-journal.md, "The
   * hidden-events check").
   */
  hiddenAfter: `
    SELECT true AS hidden FROM events WHERE (transaction_id, global_position) > ($1::bigint, $2::bigint)
    ORDER BY transaction_id, global_position LIMIT 1`,
} as const;

/**
 * readAll's page without the metadata column (ReadAllOptions.metadata false). Derived from
 * READ_SQL.readAll so the two cannot disagree on which rows a page holds; a readAll that no longer
 * selects LOG_COLUMNS fails here, at load, instead of reading another page.
 */
function withoutMetadata(query: string): string {
  if (!query.includes(LOG_COLUMNS)) throw new Error('READ_SQL.readAll no longer selects LOG_COLUMNS: derive its metadata-free form anew');
  return query.replace(LOG_COLUMNS, LOG_COLUMNS_WITHOUT_METADATA);
}

export const READ_ALL_WITHOUT_METADATA = withoutMetadata(READ_SQL.readAll);
