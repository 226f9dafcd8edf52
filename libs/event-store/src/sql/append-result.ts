import type { SealedRow } from '../sealed-batch';
import type { AppendResult } from '../event-store.port';
import { rowCheckpoint } from './event-rows';
import type { StreamHead } from './stream-heads';

/** What the statements that insert a batch answer: its last global position and the transaction. */
export type Written = { position: string | null; transaction_id: string | null };

/** The answer to an append that wrote `sealed` (at least one row). */
export function appendResultOf(streamId: string, sealed: readonly SealedRow[], written: Written): AppendResult {
  const last = sealed[sealed.length - 1]!;
  return {
    streamId,
    revision: last.revision,
    firstRevision: sealed[0]!.revision,
    position: Number(written.position),
    eventIds: sealed.map((event) => event.eventId),
    checkpoint: rowCheckpoint({ transaction_id: written.transaction_id!, global_position: written.position! }),
    duplicate: false,
  };
}

/** The parameters of SQL.appendOneIfHead: one event written on the stream's head as cached. */
export function appendOneParams(streamId: string, head: StreamHead, row: SealedRow): unknown[] {
  return [
    streamId, row.revision, row.hash, row.recordedAt, head.revision,
    row.eventId, row.type, row.schemaVersion, row.occurredAt, row.data, row.metadata, head.hash,
  ];
}

/** The stream's head once `last` is stored: what the head cache keeps. */
export function headAfter(last: SealedRow): StreamHead {
  return { revision: last.revision, hash: last.hash, recordedAt: new Date(last.recordedAt) };
}
