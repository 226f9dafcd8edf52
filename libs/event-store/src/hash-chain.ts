import { hash } from 'node:crypto';
import { canonicalJson, jsonNumber, jsonString } from './canonical-json';
import type { EventEnvelope, VerifyResult } from './event-store.port';

/** previousHash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

type Hashable = Omit<EventEnvelope, 'globalPosition' | 'metadata'> & { readonly metadata: Record<string, unknown> };

/** An envelope's hashed fields with `data` and `metadata` already in canonical JSON. */
export interface HashedParts {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly revision: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  /** Canonical JSON of the data. */
  readonly data: string;
  /** Canonical JSON of the metadata without `hash` and `previousHash`. */
  readonly metadata: string;
}

/**
 * The canonical JSON of the part of an envelope the chain covers: everything but the global
 * position (assigned by the log, not the stream) and the two hash fields themselves. Written
 * member by member in sorted order, so the canonical text of data and metadata is made once.
 */
export function hashedContent(parts: HashedParts): string {
  return `{"data":${parts.data},"eventId":${jsonString(parts.eventId)},"metadata":${parts.metadata},` +
    `"occurredAt":${jsonString(parts.occurredAt)},"recordedAt":${jsonString(parts.recordedAt)},` +
    `"revision":${jsonNumber(parts.revision)},"schemaVersion":${jsonNumber(parts.schemaVersion)},` +
    `"streamId":${jsonString(parts.streamId)},"type":${jsonString(parts.type)}}`;
}

export function chainHashOfParts(previousHash: string, parts: HashedParts): string {
  return chainHashOfContent(previousHash, hashedContent(parts));
}

export function chainHashOfContent(previousHash: string, content: string): string {
  return hash('sha256', previousHash + content, 'hex');
}

/** An event of a sealed batch as `batchSealer` chains it: metadata as its members only (no braces). */
export interface BatchEventParts {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly revision: number;
  readonly occurredAt: string;
  /** Canonical JSON of the data. */
  readonly data: string;
  /** Canonical JSON of the metadata without `hash` and `previousHash`, and without its braces. */
  readonly metadataMembers: string;
}

/** What `batchSealer` answers: the hash, and the data as the same text, flat. */
export interface ChainedEvent {
  readonly hash: string;
  readonly data: string;
}

/**
 * Chains the events of one sealed batch: each event's hash of the previous hash and exactly
 * the text `hashedContent` writes. The stream and the recording instant are the batch's, and
 * type, schema version and occurredAt usually repeat, so the text around them is written once
 * instead of once an event. The events come from prepareBatch, so event ids are UUIDs: quoted
 * without escaping.
 *
 * The hashed text is one flat string once hashed; the data is answered as a slice of it, so
 * sending it copies that text instead of walking the rope it was built as again. (The metadata
 * members are short, so copying them into each row costs next to nothing.)
 */
export function batchSealer(streamId: string, recordedAt: string, previousHash: string): (parts: BatchEventParts) => ChainedEvent {
  const recordedMember = `,"recordedAt":${jsonString(recordedAt)},"revision":`;
  const streamMember = `,"streamId":${jsonString(streamId)},"type":`;
  let occurredAt: string | undefined;
  let afterMetadata = '';
  let type: string | undefined;
  let schemaVersion: number | undefined;
  let afterRevision = '';
  let previous = previousHash;
  return (parts) => {
    if (parts.occurredAt !== occurredAt) {
      afterMetadata = `},"occurredAt":${jsonString((occurredAt = parts.occurredAt))}${recordedMember}`;
    }
    if (parts.type !== type || parts.schemaVersion !== schemaVersion) {
      afterRevision = `,"schemaVersion":${jsonNumber((schemaVersion = parts.schemaVersion))}${streamMember}${jsonString((type = parts.type))}}`;
    }
    const { data, metadataMembers } = parts;
    const hashed = `${previous}{"data":${data},"eventId":"${parts.eventId}","metadata":{${metadataMembers}${afterMetadata}` +
      `${jsonNumber(parts.revision)}${afterRevision}`;
    const dataAt = previous.length + DATA_OFFSET;
    previous = hash('sha256', hashed, 'hex');
    return { hash: previous, data: hashed.slice(dataAt, dataAt + data.length) };
  };
}

/** Where the data begins in the hashed text. */
const DATA_OFFSET = '{"data":'.length;

export function chainHash(previousHash: string, event: Hashable): string {
  const { hash: _hash, previousHash: _previous, ...metadata } = event.metadata;
  const data = canonicalJson(event.data);
  if (data === undefined) throw new Error('event is not serialisable');
  return chainHashOfParts(previousHash, { ...event, data, metadata: canonicalJson(metadata)! });
}

/**
 * Walks a stream in revision order, one event at a time, so a long stream can be verified
 * page by page in constant memory. The first broken revision is kept.
 */
export class ChainVerifier {
  private expectedRevision = 0;
  private previousHash = GENESIS_HASH;
  private broken?: { revision: number; reason: string };
  private checked = 0;

  push(event: EventEnvelope): boolean {
    if (this.broken) return false;
    this.checked++;
    if (event.revision < 0) return this.fail(event.revision, `revision ${event.revision} is negative: a stream begins at revision 0`);
    if (event.revision !== this.expectedRevision) {
      return this.fail(this.expectedRevision, `revision ${this.expectedRevision} is missing (found ${event.revision})`);
    }
    if (event.metadata.previousHash !== this.previousHash) {
      return this.fail(event.revision, 'previousHash does not match the hash of the event before it');
    }
    const hash = chainHash(this.previousHash, event);
    if (event.metadata.hash !== hash) return this.fail(event.revision, 'content does not match its hash');
    this.previousHash = hash;
    this.expectedRevision++;
    return true;
  }

  /**
   * Compares the end of the walk with the stream's head row, read in the same snapshot: a
   * truncated tail, a head moved behind the engine's back or a missing head all break it.
   */
  finish(head: { revision: number; hash: string } | undefined): VerifyResult {
    if (!this.broken) {
      const last = this.expectedRevision - 1;
      if (!head && this.checked > 0) this.fail(0, 'the stream head is missing');
      else if (head && head.revision > last) this.fail(last + 1, `the stream head is at revision ${head.revision} but the log ends at ${last}`);
      else if (head && head.revision < last) this.fail(head.revision + 1, `the log goes on past the stream head (revision ${head.revision})`);
      else if (head && head.hash !== this.previousHash) this.fail(Math.max(last, 0), 'the stream head hash does not match the last event');
    }
    return this.broken
      ? { ok: false, checked: this.checked, brokenAt: this.broken.revision, reason: this.broken.reason }
      : { ok: true, checked: this.checked };
  }

  private fail(revision: number, reason: string): false {
    this.broken = { revision, reason };
    return false;
  }
}
