import type { LogRow } from './event-rows';

/**
 * The global log's page as one JSON document, on the embedded store: PGlite decodes a result
 * row by row and column by column in JavaScript, on the thread that runs every statement of the
 * process, which a rebuild or a catch-up keeps busy. Written by the database as one text value,
 * the page crosses that thread whole and is parsed by one JSON.parse on the caller's. On
 * PostgreSQL the server writing the JSON is the slower side, so there the log is read as rows;
 * docs/benchmarks-journal.md, "The embedded log read as one document a page".
 *
 * A page is one string, so one larger than a JavaScript string can hold (about 512 Mi UTF-16
 * units, or PostgreSQL's 1 GB for a text value) cannot be read this way; the reader then reads
 * that page as rows (GlobalLogReader).
 */

/** An event of the page, LogRow's columns in order; the metadata absent when left unread. */
type LogTuple = [
  globalPosition: string,
  transactionId: string,
  streamId: string,
  revision: string,
  eventId: string,
  type: string,
  schemaVersion: number,
  occurredMs: number,
  recordedMs: number,
  data: unknown,
  metadata?: LogRow['metadata'],
];

const TUPLE = 'global_position::text, transaction_id::text, stream_id, revision::text, event_id, type, schema_version, occurred_ms, recorded_ms, data';

/**
 * A readAll statement (its rows as LogRow's columns) with its page as one document: the same
 * rows, since the statement is the subquery as it is. The column `page` is null when it is empty.
 */
export function pageStatement(readAll: string, metadata: boolean): string {
  const tuple = metadata ? `${TUPLE}, metadata` : TUPLE;
  return `SELECT json_agg(json_build_array(${tuple}) ORDER BY transaction_id, global_position)::text AS page FROM (${readAll}) AS page_events`;
}

/** The page's rows in log order, as the row statement gives them. */
export function rowsOfPage(page: string | null): LogRow[] {
  if (page === null) return [];
  const tuples = JSON.parse(page) as LogTuple[];
  const rows = new Array<LogRow>(tuples.length);
  for (let i = 0; i < tuples.length; i++) {
    const [global_position, transaction_id, stream_id, revision, event_id, type, schema_version, occurred_ms, recorded_ms, data, metadata] = tuples[i]!;
    rows[i] = { global_position, transaction_id, stream_id, revision, event_id, type, schema_version, occurred_ms, recorded_ms, data, metadata };
  }
  return rows;
}
