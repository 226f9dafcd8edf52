import canonicalize from 'canonicalize';
import { DuplicateEventIdError } from '../errors';
import type { AppendResult, Checkpoint, EventEnvelope, NewEvent } from '../event-store.port';

/** A stored event as the idempotency check needs it: the envelope, its append and its place in $all. */
export interface StoredEvent {
  readonly envelope: EventEnvelope;
  readonly batch: { readonly firstRevision: number; readonly size: number };
  readonly checkpoint: Checkpoint;
}

/**
 * The SQL store's rule, checked by the adapter because EventStoreDB's own deduplication only
 * covers a retry at the same expected revision: a batch whose ids are all stored, as ONE
 * earlier append of the same events in the same order, answers with what was stored; any
 * other reuse of a stored id is refused. `stored` holds the stream's events with any of the
 * batch's ids, in revision order. Metadata is not compared (a retry may carry other ids).
 */
export function matchStoredBatch(streamId: string, stored: readonly StoredEvent[], events: readonly NewEvent[]): AppendResult | undefined {
  if (stored.length === 0) return undefined;
  const ids = events.map((event) => event.eventId!);
  const refuse = (detail: string) => new DuplicateEventIdError(stored.map((event) => event.envelope.eventId), detail);
  if (stored.length < ids.length) throw refuse('part of this batch was stored before');
  const first = stored[0]!;
  stored.forEach((event, index) => {
    if (event.envelope.eventId !== ids[index] || event.envelope.revision !== first.envelope.revision + index) {
      throw refuse('stored before, but not as this batch in this order');
    }
    if (event.batch.firstRevision !== first.envelope.revision || event.batch.size !== ids.length) {
      throw refuse('stored before, but by different appends');
    }
    if (sameContent(event.envelope) !== sameContent(events[index]!)) throw refuse('stored before with different content');
  });
  const last = stored[stored.length - 1]!;
  return {
    streamId,
    revision: last.envelope.revision,
    firstRevision: first.envelope.revision,
    position: last.envelope.globalPosition,
    eventIds: ids,
    checkpoint: last.checkpoint,
    duplicate: true,
  };
}

/** What makes two events the same event: type, version, the instant and the data (key order aside). */
export function sameContent(event: Pick<NewEvent, 'type' | 'schemaVersion' | 'occurredAt' | 'data'>): string {
  return canonicalize(
    JSON.parse(
      JSON.stringify({
        type: event.type,
        schemaVersion: event.schemaVersion,
        occurredAt: new Date(event.occurredAt).toISOString(),
        data: event.data,
      }),
    ),
  )!;
}
