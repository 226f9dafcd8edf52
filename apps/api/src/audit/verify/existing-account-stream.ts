import { AccountNotFoundError, accountStreamId } from '@ahe/domain';
import type { EventStore } from '@ahe/event-store';

/**
 * The account's stream id, or AccountNotFoundError (404). A stream whose head row was deleted
 * behind the engine's back still has events: it exists, and verification must get to say so.
 */
export async function existingAccountStream(store: EventStore, accountId: string): Promise<{ streamId: string; head: number }> {
  const streamId = accountStreamId(accountId);
  const head = await store.streamRevision(streamId);
  if (head === -1 && (await store.readStream(streamId, { limit: 1 })).length === 0) throw new AccountNotFoundError(accountId);
  return { streamId, head };
}
