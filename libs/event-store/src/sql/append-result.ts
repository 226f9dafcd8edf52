import type { SealedRow } from '../sealed-batch';
import type { AppendResult } from '../event-store.port';
import { rowCheckpoint } from './event-rows';

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
