import { randomUUID } from 'node:crypto';
import { InvalidEventError } from './errors';
import { chainHash } from './hash-chain';
import type { EventEnvelope, ExpectedRevision, NewEvent } from './event-store.port';

export type SealedEvent = Omit<EventEnvelope, 'globalPosition'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL text and jsonb cannot hold NUL; other control characters have no place in ids.
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_STREAM_ID = 200;

export function assertStreamId(streamId: string): void {
  if (
    typeof streamId !== 'string' || streamId.length === 0 || streamId.length > MAX_STREAM_ID ||
    CONTROL.test(streamId) || !streamId.isWellFormed()
  ) {
    throw new InvalidEventError(`streamId must be 1-${MAX_STREAM_ID} printable characters`, 'streamId');
  }
}

/** Checks a batch before anything is written and gives every event its id. */
export function prepareBatch(streamId: string, events: readonly NewEvent[]): NewEvent[] {
  assertStreamId(streamId);
  if (!Array.isArray(events) || events.length === 0) throw new InvalidEventError('an append needs at least one event', 'events');
  const seen = new Set<string>();
  return events.map((event, index) => {
    const at = `events[${index}]`;
    if (typeof event !== 'object' || event === null) throw new InvalidEventError(`${at} must be an object`, at);
    if (event.eventId !== undefined && typeof event.eventId !== 'string') {
      throw new InvalidEventError(`${at}.eventId must be a UUID string`, `${at}.eventId`);
    }
    const eventId = (event.eventId ?? randomUUID()).toLowerCase();
    if (!UUID.test(eventId)) throw new InvalidEventError(`${at}.eventId must be a UUID`, `${at}.eventId`);
    if (seen.has(eventId)) throw new InvalidEventError(`${at}.eventId ${eventId} appears twice in the batch`, `${at}.eventId`);
    seen.add(eventId);
    if (typeof event.type !== 'string' || !/^[A-Za-z][A-Za-z0-9]{0,99}$/.test(event.type)) {
      throw new InvalidEventError(`${at}.type must be an identifier`, `${at}.type`);
    }
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new InvalidEventError(`${at}.schemaVersion must be a positive integer`, `${at}.schemaVersion`);
    }
    const occurredAt = new Date(event.occurredAt);
    const year = occurredAt.getUTCFullYear();
    if (Number.isNaN(occurredAt.getTime()) || year < 1900 || year > 9999) {
      throw new InvalidEventError(`${at}.occurredAt must be a valid instant`, `${at}.occurredAt`);
    }
    if (event.data === undefined || event.data === null) throw new InvalidEventError(`${at}.data is required`, `${at}.data`);
    if (event.metadata !== undefined && (typeof event.metadata !== 'object' || event.metadata === null || Array.isArray(event.metadata))) {
      throw new InvalidEventError(`${at}.metadata must be an object`, `${at}.metadata`);
    }
    return { ...event, eventId, occurredAt: occurredAt.toISOString(), metadata: event.metadata ?? {} };
  });
}

/**
 * Gives prepared events their revisions, recording time and hash chain. `recordedAt` never
 * goes backwards within a stream, so an as-of read on the recorded axis is always a prefix.
 */
export function sealBatch(
  streamId: string,
  head: { revision: number; hash: string; recordedAt?: Date | null },
  events: readonly NewEvent[],
  now: Date,
): SealedEvent[] {
  const recordedAt = (head.recordedAt && head.recordedAt > now ? head.recordedAt : now).toISOString();
  let previousHash = head.hash;
  return events.map((event, index) => {
    // A JSON round trip drops undefined fields, so the hash covers exactly what is stored.
    const unsealed = jsonRoundTrip(index, {
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      streamId,
      revision: head.revision + 1 + index,
      occurredAt: event.occurredAt,
      recordedAt,
      data: event.data,
      metadata: event.metadata ?? {},
    });
    const hash = chainHash(previousHash, unsealed);
    const sealed = { ...unsealed, metadata: { ...unsealed.metadata, previousHash, hash } };
    previousHash = hash;
    return sealed;
  });
}

function jsonRoundTrip(index: number, event: object): SealedEvent {
  let sealed: SealedEvent;
  try {
    sealed = JSON.parse(JSON.stringify(event)) as SealedEvent;
  } catch (error) {
    throw new InvalidEventError(`events[${index}] is not JSON: ${(error as Error).message}`, `events[${index}]`);
  }
  // Checked after the round trip: `toJSON` or undefined members can make data vanish.
  if (sealed.data === undefined || sealed.data === null) {
    throw new InvalidEventError(`events[${index}].data is required`, `events[${index}].data`);
  }
  return sealed;
}

/** Validates the caller's expected revision before anything is read or written. */
export function assertExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  const named = expected === 'any' || expected === 'no_stream' || expected === 'stream_exists';
  if (!named && !(Number.isSafeInteger(expected) && (expected as number) >= 0)) {
    throw new InvalidEventError(
      `expectedRevision must be a revision (an integer ≥ 0), 'no_stream', 'stream_exists' or 'any'`, 'expectedRevision',
    );
  }
}
