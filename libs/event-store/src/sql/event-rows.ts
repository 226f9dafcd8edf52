import { UNREAD_METADATA, type Checkpoint, type EventEnvelope, type EventMetadata } from '../event-store.port';

export interface EventRow {
  global_position: string | number;
  transaction_id: string | number;
  stream_id: string;
  revision: string | number;
  event_id: string;
  type: string;
  schema_version: number;
  occurred_at: Date;
  recorded_at: Date;
  data: unknown;
  metadata: EventMetadata;
}

export const EVENT_COLUMNS =
  'global_position, transaction_id, stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata';

export function toEnvelope(row: EventRow): EventEnvelope {
  return envelopeOf(row, row.occurred_at.toISOString(), row.recorded_at.toISOString());
}

/**
 * A row of the global log as readAll selects it: instants as epoch milliseconds (float8), so
 * no Date is parsed per row and per column only to be formatted again.
 */
export interface LogRow {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  schema_version: number;
  occurred_ms: number;
  recorded_ms: number;
  data: unknown;
  /** Absent when read with LOG_COLUMNS_WITHOUT_METADATA. */
  metadata?: EventMetadata;
}

export const LOG_COLUMNS =
  'global_position, transaction_id, stream_id, revision, event_id, type, schema_version, ' +
  '(extract(epoch FROM occurred_at) * 1000)::float8 AS occurred_ms, (extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_ms, data, metadata';

/**
 * For readers that never look at metadata (ReadAllOptions.metadata false): its hashes and ids
 * are about three quarters of an event's JSON, which the server would render as text and Node
 * parse back only to be dropped.
 */
export const LOG_COLUMNS_WITHOUT_METADATA = LOG_COLUMNS.replace(/, metadata$/, '');

/**
 * Formats epoch milliseconds as ISO text, reusing the last answer: the events of a page mostly
 * share their recorded_at (one per append or import transaction), so one of an event's two
 * instants is formatted about once a transaction instead of once an event.
 */
export class InstantText {
  private ms = Number.NaN;
  private text = '';

  of(ms: number): string {
    if (ms !== this.ms) {
      this.ms = ms;
      this.text = new Date(ms).toISOString();
    }
    return this.text;
  }
}

export function logRowToEnvelope(row: LogRow, recorded: InstantText = new InstantText()): EventEnvelope {
  return envelopeOf(row, new Date(row.occurred_ms).toISOString(), recorded.of(row.recorded_ms));
}

/** The columns both row shapes share, plus the two instants as each shape decodes them. */
type EnvelopeColumns = Pick<EventRow, 'event_id' | 'type' | 'schema_version' | 'stream_id' | 'revision' | 'global_position' | 'data'> & {
  metadata?: EventMetadata;
};

function envelopeOf(row: EnvelopeColumns, occurredAt: string, recordedAt: string): EventEnvelope {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    revision: Number(row.revision),
    globalPosition: Number(row.global_position),
    occurredAt,
    recordedAt,
    data: row.data,
    metadata: row.metadata ?? UNREAD_METADATA,
  };
}

export function rowCheckpoint(row: Pick<EventRow, 'transaction_id' | 'global_position'>): Checkpoint {
  return { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) };
}
