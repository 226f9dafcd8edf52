import { InvalidEventError } from './errors';
import { randomUuids } from './random-uuids';
import type { ExpectedRevision, NewEvent } from './event-store.port';

// What every adapter checks of an append before anything is read or written: the stream id,
// each event (given its id here), and the expected revision.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL text and jsonb cannot hold NUL; other control characters have no place in ids.
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_STREAM_ID = 200;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9]{0,99}$/;
/**
 * An instant exactly as toISOString writes it, years 1900-9999 and a day its month has in every
 * year (29 February is left to the parser): what isoInstant would answer for it, so it is kept
 * without parsing and formatting (imports, whose lines are already in that form, spent a tenth
 * of their time there).
 */
const PLAIN_INSTANT =
  /^(?:19|[2-9]\d)\d\d-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

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
  const generated = randomUuids(events.reduce<number>((count, event) => (isIdless(event) ? count + 1 : count), 0));
  let nextGenerated = 0;
  // Ids the caller gave may repeat; generated ones are random (122 bits) and never checked.
  const given = new Set<string>();
  let lastGiven: unknown;
  let lastIso = '';
  // Events of one batch often share their type: it is matched once.
  let lastType: string | undefined;
  const prepared = new Array<NewEvent>(events.length);
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    if (typeof event !== 'object' || event === null) throw invalid(index, '', 'must be an object');
    let eventId: string;
    if (event.eventId === undefined) {
      eventId = generated[nextGenerated++]!;
    } else {
      if (typeof event.eventId !== 'string') throw invalid(index, '.eventId', 'must be a UUID string');
      eventId = event.eventId.toLowerCase();
      if (!UUID.test(eventId)) throw invalid(index, '.eventId', 'must be a UUID');
      if (given.has(eventId)) throw invalid(index, '.eventId', `${eventId} appears twice in the batch`);
      given.add(eventId);
    }
    if (typeof event.type !== 'string' || (event.type !== lastType && !EVENT_TYPE.test(event.type))) {
      throw invalid(index, '.type', 'must be an identifier');
    }
    lastType = event.type;
    if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) throw invalid(index, '.schemaVersion', 'must be a positive integer');
    // Events of one batch often share their instant: it is parsed and written once.
    if (event.occurredAt !== lastGiven || index === 0) {
      const given = event.occurredAt;
      lastIso = typeof given === 'string' && PLAIN_INSTANT.test(given) ? given : isoInstant(given, `events[${index}]`);
      lastGiven = given;
    }
    if (event.data === undefined || event.data === null) throw invalid(index, '.data', 'is required');
    if (event.metadata !== undefined && (typeof event.metadata !== 'object' || event.metadata === null || Array.isArray(event.metadata))) {
      throw invalid(index, '.metadata', 'must be an object');
    }
    prepared[index] = { eventId, type: event.type, schemaVersion: event.schemaVersion, occurredAt: lastIso, data: event.data, metadata: event.metadata ?? {} };
  }
  return prepared;
}

function isIdless(event: NewEvent): boolean {
  return typeof event === 'object' && event !== null && event.eventId === undefined;
}

/** The error for `events[index]` and its `member` (`.type`, or '' for the event itself); the path is written only when thrown. */
function invalid(index: number, member: string, problem: string): InvalidEventError {
  const at = `events[${index}]${member}`;
  return new InvalidEventError(`${at} ${problem}`, at);
}

function isoInstant(given: Date | string, at: string): string {
  const occurredAt = new Date(given);
  const year = occurredAt.getUTCFullYear();
  if (Number.isNaN(occurredAt.getTime()) || year < 1900 || year > 9999) {
    throw new InvalidEventError(`${at}.occurredAt must be a valid instant`, `${at}.occurredAt`);
  }
  return occurredAt.toISOString();
}

/** Whether a stream at revision `actual` (-1: none) satisfies the caller's expected revision; every adapter's check. */
export function revisionMatches(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case 'any': return true;
    case 'no_stream': return actual === -1;
    case 'stream_exists': return actual >= 0;
    default: return expected === actual;
  }
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
