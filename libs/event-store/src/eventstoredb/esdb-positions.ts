import type { Checkpoint, ExpectedRevision } from '../event-store.port';

/** EventStoreDB's $all position (commit, prepare), as the client hands it over. */
export interface EsdbPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** The client's expected-revision values: its constants are these same strings. */
export type EsdbExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** The port's checkpoint is the $all position itself: same shape, same (commit, prepare) order. */
export function toCheckpoint(position: EsdbPosition): Checkpoint {
  return { commit: position.commit, prepare: position.prepare };
}

/** Where a $all read starts: 'start' for the beginning, else the checkpoint's own position. */
export function readPositionAfter(after: Checkpoint): 'start' | EsdbPosition {
  return after.commit === 0n && after.prepare === 0n ? 'start' : { commit: after.commit, prepare: after.prepare };
}

/** $all reads include the event at `fromPosition`; a reader "after" a checkpoint skips up to it. */
export function isPast(position: EsdbPosition, after: Checkpoint): boolean {
  return position.commit > after.commit || (position.commit === after.commit && position.prepare > after.prepare);
}

/**
 * The envelope's numeric globalPosition: the prepare position, unique per event (events of one
 * append share a commit position) and increasing along $all. A byte offset in the log, so it
 * has gaps; it stays exact as a number up to 8 PiB of log.
 */
export function globalPositionOf(position: EsdbPosition): number {
  if (position.prepare > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`log position ${position.prepare} exceeds 2^53`);
  return Number(position.prepare);
}

/**
 * The adapter always writes against the head it read (the hash chain is built on it), so the
 * revision sent to the server is concrete: the caller's own expectation is checked against
 * that head first.
 */
export function expectedForHead(headRevision: number): EsdbExpectedRevision {
  return headRevision < 0 ? 'no_stream' : BigInt(headRevision);
}

/** The client's current revision ('no_stream' or a bigint) as the port's number, -1 for none. */
export function fromCurrentRevision(current: 'no_stream' | bigint | undefined): number {
  return current === undefined || current === 'no_stream' ? -1 : Number(current);
}

/** The port's expected revision as the client's, for callers that write without a chain. */
export function toEsdbExpected(expected: ExpectedRevision): EsdbExpectedRevision {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}
