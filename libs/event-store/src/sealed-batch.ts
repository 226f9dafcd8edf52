import { prepareBatch } from './append-checks';
import { InvalidEventError } from './errors';
import { canonicalJson, canonicalMembers } from './canonical-json';
import { batchSealer } from './hash-chain';
import type { EventEnvelope, NewEvent } from './event-store.port';

export type SealedEvent = Omit<EventEnvelope, 'globalPosition'>;

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
  const chain = batchSealer(streamId, recordedAt, head.hash);
  const metadataOf = metadataWriter();
  // The stored metadata is `{members,"hash":"…","previousHash":"…"}`: the part before the hash
  // is the batch's (its events share their metadata), the part after it the previous event's.
  let members: string | undefined;
  let beforeHash = '';
  let afterHash = `","previousHash":${JSON.stringify(head.hash)}}`;
  const rows = new Array<SealedRow>(events.length);
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const revision = head.revision + 1 + index;
    const occurredAt = typeof event.occurredAt === 'string' ? event.occurredAt : event.occurredAt.toISOString();
    const eventId = event.eventId!;
    // Data before metadata: an event wrong in both reports its data, as it always has.
    const data = dataJson(index, event);
    const metadataMembers = metadataOf(index, event);
    if (metadataMembers !== members) {
      members = metadataMembers;
      beforeHash = `{${members}${members === '' ? '' : ','}"hash":"`;
    }
    const chained = chain({ eventId, type: event.type, schemaVersion: event.schemaVersion, revision, occurredAt, data, metadataMembers });
    const hash = chained.hash;
    rows[index] = {
      eventId, type: event.type, schemaVersion: event.schemaVersion, revision, occurredAt, recordedAt, data: chained.data,
      metadata: beforeHash + hash + afterHash, hash,
    };
    afterHash = `","previousHash":"${hash}"}`;
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
  // Prepared here: callers (benchmarks' references, the EventStoreDB layout check) hand over events as given, ids optional.
  return sealRows(streamId, head, prepareBatch(streamId, events), now).map((row) => ({
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

/** Set by the seal, never taken from the caller. */
const CHAIN_MEMBERS: ReadonlySet<string> = new Set(['hash', 'previousHash']);

/**
 * The members of each event's metadata in canonical JSON (no braces), without the chain's own
 * fields (set by the seal). The events of a batch often share one metadata object (an
 * import's): it is written once.
 */
function metadataWriter(): (index: number, event: NewEvent) => string {
  let lastObject: unknown;
  let lastMembers = '';
  return (index, event) => {
    const given = event.metadata ?? {};
    if (given === lastObject) return lastMembers;
    let members: string | undefined;
    try {
      members = canonicalMembers(given, CHAIN_MEMBERS);
    } catch (error) {
      throw new InvalidEventError(`events[${index}] is not JSON: ${(error as Error).message}`, `events[${index}]`);
    }
    if (members === undefined) {
      throw new InvalidEventError(`events[${index}].metadata must be an object`, `events[${index}].metadata`);
    }
    lastObject = given;
    lastMembers = members;
    return members;
  };
}
