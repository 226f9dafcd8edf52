import { randomUUID } from 'node:crypto';
import { InvalidEventError } from './errors';
import { canonicalJson } from './canonical-json';
import { batchContentWriter, chainHashOfContent } from './hash-chain';
import type { EventEnvelope, ExpectedRevision, NewEvent } from './event-store.port';

export type SealedEvent = Omit<EventEnvelope, 'globalPosition'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL text and jsonb cannot hold NUL; other control characters have no place in ids.
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_STREAM_ID = 200;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9]{0,99}$/;

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
  let lastInstant: { given: unknown; iso: string } = { given: undefined, iso: '' };
  // Events of one batch often share their type: it is matched once.
  let lastType: string | undefined;
  return events.map((event, index) => {
    const at = `events[${index}]`;
    if (typeof event !== 'object' || event === null) throw new InvalidEventError(`${at} must be an object`, at);
    if (event.eventId !== undefined && typeof event.eventId !== 'string') {
      throw new InvalidEventError(`${at}.eventId must be a UUID string`, `${at}.eventId`);
    }
    const eventId = event.eventId === undefined ? randomUUID() : event.eventId.toLowerCase();
    if (event.eventId !== undefined && !UUID.test(eventId)) throw new InvalidEventError(`${at}.eventId must be a UUID`, `${at}.eventId`);
    if (seen.has(eventId)) throw new InvalidEventError(`${at}.eventId ${eventId} appears twice in the batch`, `${at}.eventId`);
    seen.add(eventId);
    if (typeof event.type !== 'string' || (event.type !== lastType && !EVENT_TYPE.test(event.type))) {
      throw new InvalidEventError(`${at}.type must be an identifier`, `${at}.type`);
    }
    lastType = event.type;
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new InvalidEventError(`${at}.schemaVersion must be a positive integer`, `${at}.schemaVersion`);
    }
    // Events of one batch often share their instant: it is parsed and written once.
    if (event.occurredAt !== lastInstant.given) lastInstant = { given: event.occurredAt, iso: isoInstant(event.occurredAt, at) };
    if (event.data === undefined || event.data === null) throw new InvalidEventError(`${at}.data is required`, `${at}.data`);
    if (event.metadata !== undefined && (typeof event.metadata !== 'object' || event.metadata === null || Array.isArray(event.metadata))) {
      throw new InvalidEventError(`${at}.metadata must be an object`, `${at}.metadata`);
    }
    return { eventId, type: event.type, schemaVersion: event.schemaVersion, occurredAt: lastInstant.iso, data: event.data, metadata: event.metadata ?? {} };
  });
}

function isoInstant(given: Date | string, at: string): string {
  const occurredAt = new Date(given);
  const year = occurredAt.getUTCFullYear();
  if (Number.isNaN(occurredAt.getTime()) || year < 1900 || year > 9999) {
    throw new InvalidEventError(`${at}.occurredAt must be a valid instant`, `${at}.occurredAt`);
  }
  return occurredAt.toISOString();
}

/** An event as the store writes it: `data` and `metadata` as JSON text, the chain's hashes in the metadata. */
export interface SealedRow {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly revision: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: string;
  readonly metadata: string;
  readonly hash: string;
}

/**
 * Gives prepared events their revisions, recording time and hash chain. `recordedAt` never
 * goes backwards within a stream, so an as-of read on the recorded axis is always a prefix.
 * The hash covers exactly the JSON text stored (what JSON.stringify keeps of the event).
 */
export function sealRows(
  streamId: string,
  head: { revision: number; hash: string; recordedAt?: Date | null },
  events: readonly NewEvent[],
  now: Date,
): SealedRow[] {
  const recordedAt = (head.recordedAt && head.recordedAt > now ? head.recordedAt : now).toISOString();
  const contentOf = batchContentWriter(streamId, recordedAt);
  const metadataOf = metadataWriter();
  let previousHash = head.hash;
  let previousHashJson = JSON.stringify(previousHash);
  const rows = new Array<SealedRow>(events.length);
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const data = dataJson(index, event);
    const metadata = metadataOf(index, event);
    const revision = head.revision + 1 + index;
    const occurredAt = typeof event.occurredAt === 'string' ? event.occurredAt : event.occurredAt.toISOString();
    const eventId = event.eventId!;
    const hash = chainHashOfContent(previousHash, contentOf({ eventId, type: event.type, schemaVersion: event.schemaVersion, revision, occurredAt, data, metadata }));
    const hashes = `"hash":"${hash}","previousHash":${previousHashJson}}`;
    rows[index] = {
      eventId, type: event.type, schemaVersion: event.schemaVersion, revision, occurredAt, recordedAt, data,
      metadata: metadata === '{}' ? `{${hashes}` : `${metadata.slice(0, -1)},${hashes}`, hash,
    };
    previousHash = hash;
    previousHashJson = `"${hash}"`;
  }
  return rows;
}

/** The same, as envelopes with parsed data and metadata (for stores that send objects). */
export function sealBatch(
  streamId: string,
  head: { revision: number; hash: string; recordedAt?: Date | null },
  events: readonly NewEvent[],
  now: Date,
): SealedEvent[] {
  return sealRows(streamId, head, events, now).map((row) => ({
    eventId: row.eventId, type: row.type, schemaVersion: row.schemaVersion, streamId, revision: row.revision,
    occurredAt: row.occurredAt, recordedAt: row.recordedAt,
    data: JSON.parse(row.data) as unknown, metadata: JSON.parse(row.metadata) as SealedEvent['metadata'],
  }));
}

/** Canonical JSON of the data. */
function dataJson(index: number, event: NewEvent): string {
  let data: string | undefined;
  try {
    data = canonicalJson(event.data);
  } catch (error) {
    throw new InvalidEventError(`events[${index}] is not JSON: ${(error as Error).message}`, `events[${index}]`);
  }
  // Checked on the JSON: `toJSON` or undefined members can make data vanish.
  if (data === undefined || data === 'null') {
    throw new InvalidEventError(`events[${index}].data is required`, `events[${index}].data`);
  }
  return data;
}

/**
 * Canonical JSON of each event's metadata without the chain's own fields (set by the seal).
 * The events of a batch often share one metadata object (an import's): it is written once.
 */
function metadataWriter(): (index: number, event: NewEvent) => string {
  let lastObject: unknown;
  let lastJson = '';
  return (index, event) => {
    const given = event.metadata ?? {};
    if (given === lastObject) return lastJson;
    let metadata: string | undefined;
    try {
      metadata = canonicalJson(given);
    } catch (error) {
      throw new InvalidEventError(`events[${index}] is not JSON: ${(error as Error).message}`, `events[${index}]`);
    }
    if (metadata === undefined || !metadata.startsWith('{')) {
      throw new InvalidEventError(`events[${index}].metadata must be an object`, `events[${index}].metadata`);
    }
    if (metadata.includes('"hash":') || metadata.includes('"previousHash":')) {
      const { hash: _hash, previousHash: _previous, ...rest } = JSON.parse(metadata) as Record<string, unknown>;
      metadata = canonicalJson(rest)!;
    }
    lastObject = given;
    lastJson = metadata;
    return metadata;
  };
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
