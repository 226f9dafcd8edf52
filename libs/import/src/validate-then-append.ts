import type { EventStore } from '@ahe/event-store';
import { admitLine, loadLedger, type AccountLedger } from './account-ledger';
import { appendLedgers } from './ledger-appender';
import type { LineWindow } from './line-windows';
import type { WindowContext } from './one-transaction-import';

/** Stores that tell many streams' revisions in one call: streams that do not exist are not read. */
interface RevisionsStore extends EventStore {
  streamRevisions(streamIds: readonly string[]): Promise<Map<string, number>>;
}

function knownRevisions(store: EventStore, streamIds: readonly string[]): Promise<Map<string, number>> | undefined {
  const bulk = (store as Partial<RevisionsStore>).streamRevisions;
  return streamIds.length > 0 && typeof bulk === 'function' ? bulk.call(store, streamIds) : undefined;
}

export interface BatchedAppendOptions {
  readonly batchSize: number;
  readonly concurrency: number;
  readonly onAppended: (done: number, total: number) => void;
}

/**
 * For stores without one transaction for the whole import (EventStoreDB): every line is
 * validated first, holding the events, then each account is appended in batches expecting the
 * revision validated against (ledger-appender.ts). A writer in between fails the import (409)
 * after the accounts already appended.
 */
export async function validateThenAppend(
  store: EventStore,
  windows: AsyncIterable<LineWindow>,
  context: WindowContext,
  options: BatchedAppendOptions,
): Promise<{ events: number; accounts: number }> {
  const ledgers = new Map<string, AccountLedger>();
  for await (const window of windows) {
    const unseen = [...new Set(window.lines.map((parsed) => parsed.accountId).filter((id) => !ledgers.has(id)))];
    const streamOf = new Map(window.lines.map((parsed) => [parsed.accountId, parsed.streamId]));
    const revisions = await knownRevisions(store, unseen.map((id) => streamOf.get(id)!));
    const loaded = await Promise.all(unseen.map((id) => loadLedger(store, id, streamOf.get(id)!, revisions?.get(streamOf.get(id)!))));
    for (const ledger of loaded) ledgers.set(ledger.accountId, ledger);
    for (const parsed of window.lines) admitLine(ledgers.get(parsed.accountId)!, parsed, context.now, context.metadata);
    if (window.malformed) throw window.malformed;
    context.onWindow(window);
  }
  const touched = [...ledgers.values()].filter((ledger) => ledger.events.length > 0);
  const total = touched.reduce((sum, ledger) => sum + ledger.events.length, 0);
  context.signal?.throwIfAborted();
  context.onValidated(0, total);
  const events = await appendLedgers(store, touched, options);
  return { events, accounts: touched.length };
}
