import { ForeignEventError } from '../errors';
import type { EventEnvelope, EventMetadata } from '../event-store.port';
import type { SealedEvent } from '../sealed-batch';
import { globalPositionOf, type EsdbPosition } from './esdb-positions';

/** What the server sends for "no position": Position.End, 2^64-1 in both halves. */
export const NO_POSITION = 2n ** 64n - 1n;

/** Marks an event as written by this engine, and the version of the layout below. */
export const LAYOUT_FORMAT = 'ahe.envelope/1';

/**
 * What the engine stores as an EventStoreDB event's custom metadata. Stream, revision, id and
 * type are EventStoreDB's own fields; the rest of the envelope lives here, with the port's
 * metadata (hash chain included) nested, so caller keys can never collide with ours.
 * `batch` names the append an event came from: a retry must match one earlier append exactly,
 * and EventStoreDB keeps no transaction id to tell appends apart.
 */
export interface EsdbEventMetadata {
  readonly format: typeof LAYOUT_FORMAT;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly batch: { readonly firstRevision: number; readonly size: number };
  readonly metadata: EventMetadata;
  /** EventStoreDB's own conventions, so its $by_correlation_id projection works. Not read back. */
  readonly $correlationId?: string;
  readonly $causationId?: string;
}

/** The subset of the client's JSON event data the adapter sends. */
export interface EsdbEventData {
  readonly id: string;
  readonly contentType: 'application/json';
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EsdbEventMetadata;
}

/** The subset of the client's recorded event the adapter reads. */
export interface EsdbRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata?: unknown;
  readonly position?: EsdbPosition;
}

export function toEsdbEvent(event: SealedEvent, batch: { firstRevision: number; size: number }): EsdbEventData {
  const { correlationId, causationId } = event.metadata;
  return {
    id: event.eventId,
    contentType: 'application/json',
    type: event.type,
    data: event.data,
    metadata: {
      format: LAYOUT_FORMAT,
      schemaVersion: event.schemaVersion,
      occurredAt: event.occurredAt,
      recordedAt: event.recordedAt,
      batch,
      metadata: event.metadata,
      ...(typeof correlationId === 'string' && { $correlationId: correlationId }),
      ...(typeof causationId === 'string' && { $causationId: causationId }),
    },
  };
}

/** EventStoreDB's own bookkeeping ($stats, $>, $metadata, projections' streams): never engine events. */
export function isSystemEvent(event: Pick<EsdbRecordedEvent, 'streamId' | 'type'>): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

/** The engine's layout, or undefined for an event some other writer put in the database. */
export function engineMetadata(event: EsdbRecordedEvent): EsdbEventMetadata | undefined {
  const meta = event.metadata as Partial<EsdbEventMetadata> | undefined;
  if (!event.isJson || typeof meta !== 'object' || meta === null || meta.format !== LAYOUT_FORMAT) return undefined;
  if (typeof meta.metadata !== 'object' || meta.metadata === null || typeof meta.recordedAt !== 'string') return undefined;
  return meta as EsdbEventMetadata;
}

/** The port's envelope for a recorded event; throws ForeignEventError for another writer's event. */
export function fromEsdbEvent(event: EsdbRecordedEvent): EventEnvelope {
  const meta = engineMetadata(event);
  const revision = Number(event.revision);
  if (!meta) throw new ForeignEventError(event.streamId, revision, `no ${LAYOUT_FORMAT} metadata`);
  if (!event.position || event.position.commit === NO_POSITION) {
    // Servers before 22.x send no $all position on stream reads (the wire carries 2^64-1).
    throw new Error(`${event.streamId}@${revision}: the server sent no log position on a stream read (EventStoreDB 22.10 or later is required)`);
  }
  return {
    eventId: event.id.toLowerCase(),
    type: event.type,
    schemaVersion: meta.schemaVersion,
    streamId: event.streamId,
    revision,
    globalPosition: globalPositionOf(event.position),
    occurredAt: meta.occurredAt,
    recordedAt: meta.recordedAt,
    data: event.data,
    metadata: meta.metadata,
  };
}
