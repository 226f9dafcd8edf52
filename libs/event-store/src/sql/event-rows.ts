import type { Checkpoint, EventEnvelope, EventMetadata } from '../event-store.port';

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
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    revision: Number(row.revision),
    globalPosition: Number(row.global_position),
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    data: row.data,
    metadata: row.metadata,
  };
}

export function rowCheckpoint(row: Pick<EventRow, 'transaction_id' | 'global_position'>): Checkpoint {
  return { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) };
}
