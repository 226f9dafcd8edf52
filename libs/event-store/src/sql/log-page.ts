import { UNREAD_METADATA, type Checkpoint, type EventEnvelope, type EventMetadata } from '../event-store.port';
import { EVENT_COLUMNS, InstantText, LOG_COLUMNS } from './event-rows';

/**
 * The global log's page as one JSON document, on the embedded store: PGlite decodes a result
 * row by row and column by column in JavaScript, on the thread that runs every statement of the
 * process, which a rebuild or a catch-up keeps busy. Written by the database as one text value,
 * the page crosses that thread whole and is parsed by one JSON.parse on the caller's. On
 * PostgreSQL the server writing the JSON is the slower side, so there the log is read as rows
 * (LOG_COLUMNS); docs/benchmarks-journal.md, "The embedded log read as one document a page".
 */

/** An event of the page: positions and transaction ids as text (exact past 2^53), instants as epoch milliseconds, then the documents. */
export type LogTuple = [
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
  /** Absent when the page was read without metadata. */
  metadata?: EventMetadata,
];

const TUPLE =
  'global_position::text, transaction_id::text, stream_id, revision::text, event_id, type, schema_version, ' +
  '(extract(epoch FROM occurred_at) * 1000)::float8, (extract(epoch FROM recorded_at) * 1000)::float8, data';
const PAGE = (tuple: string) => `json_agg(json_build_array(${tuple}) ORDER BY transaction_id, global_position)::text AS page`;

/**
 * readAll's statement (the rows of a page, as LOG_COLUMNS selects them) as one document: the
 * same rows by construction, since only its select list changes. Null when the page is empty.
 */
export function pageStatement(readAll: string, metadata: boolean): string {
  if (!readAll.includes(LOG_COLUMNS)) throw new Error('READ_SQL.readAll no longer selects LOG_COLUMNS: derive its page statement anew');
  const rows = readAll.replace(LOG_COLUMNS, EVENT_COLUMNS);
  return `SELECT ${PAGE(metadata ? `${TUPLE}, metadata` : TUPLE)} FROM (${rows}) AS page_events`;
}

/** The page's events in log order, and the checkpoint after its last one (or undefined when empty). */
export function pageEvents(page: string | null, upcast: (event: EventEnvelope) => EventEnvelope): { events: EventEnvelope[]; last?: Checkpoint } {
  if (page === null) return { events: [] };
  const tuples = JSON.parse(page) as LogTuple[];
  const recorded = new InstantText();
  const events = new Array<EventEnvelope>(tuples.length);
  for (let i = 0; i < tuples.length; i++) events[i] = upcast(envelopeOf(tuples[i]!, recorded));
  const last = tuples[tuples.length - 1];
  return { events, last: last && { commit: BigInt(last[1]), prepare: BigInt(last[0]) } };
}

function envelopeOf(tuple: LogTuple, recorded: InstantText): EventEnvelope {
  const [globalPosition, , streamId, revision, eventId, type, schemaVersion, occurredMs, recordedMs, data, metadata] = tuple;
  return {
    eventId,
    type,
    schemaVersion,
    streamId,
    revision: Number(revision),
    globalPosition: Number(globalPosition),
    occurredAt: new Date(occurredMs).toISOString(),
    recordedAt: recorded.of(recordedMs),
    data,
    metadata: metadata ?? UNREAD_METADATA,
  };
}
