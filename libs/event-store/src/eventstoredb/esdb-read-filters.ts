import type { EventEnvelope, ReadStreamOptions } from '../event-store.port';
import { engineMetadata, isSystemEvent, type EsdbRecordedEvent } from './esdb-event-layout';

export type AsOfVerdict = 'keep' | 'skip' | 'stop';

/**
 * EventStoreDB cannot filter a stream read by a metadata field, so as-of runs here, on the
 * events as they arrive. recordedAt never decreases within a stream, so on the recorded axis
 * the answer is a prefix: a forward read stops at the first later event, a backward read
 * skips until it reaches one in range. occurredAt may be back-dated: every event is checked.
 */
export function asOfFilter(asOf: ReadStreamOptions['asOf'], backward: boolean): (event: EventEnvelope) => AsOfVerdict {
  if (!asOf) return () => 'keep';
  const at = asOf.at.getTime();
  if (asOf.axis === 'occurred') return (event) => (Date.parse(event.occurredAt) <= at ? 'keep' : 'skip');
  return (event) => {
    if (Date.parse(event.recordedAt) <= at) return 'keep';
    return backward ? 'skip' : 'stop';
  };
}

export type LogEntryKind = 'engine' | 'system' | 'other';

/**
 * What a $all reader does with an entry: deliver the engine's events; skip EventStoreDB's own
 * ($-prefixed) and anything without the engine's layout (another application's events, or the
 * engine's event-id claims), since the port's global log is the engine's events only.
 */
export function logEntryKind(event: EsdbRecordedEvent): LogEntryKind {
  if (isSystemEvent(event)) return 'system';
  return engineMetadata(event) ? 'engine' : 'other';
}
