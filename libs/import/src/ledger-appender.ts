import { WrongExpectedRevisionError, type EventStore } from '@ahe/event-store';
import type { AccountLedger } from './account-ledger';
import { ImportConflictError } from './import.errors';

export interface AppendLedgersOptions {
  readonly batchSize: number;
  readonly concurrency: number;
  readonly onAppended: (done: number, total: number) => void;
}

/**
 * Appends each account's events in batches, each expecting the revision the previous one left
 * (the first: the revision validated against), so a concurrent writer makes the import fail
 * with a conflict instead of interleaving. Answers the number of events appended.
 */
export async function appendLedgers(store: EventStore, ledgers: readonly AccountLedger[], options: AppendLedgersOptions): Promise<number> {
  const total = ledgers.reduce((sum, ledger) => sum + ledger.events.length, 0);
  let appended = 0;
  let accountsDone = 0;
  let conflict: ImportConflictError | undefined;
  let failed = false;
  let next = 0;

  const appendAccount = async (ledger: AccountLedger) => {
    let revision = ledger.baseRevision;
    for (let offset = 0; offset < ledger.events.length && !conflict; offset += options.batchSize) {
      const batch = ledger.events.slice(offset, offset + options.batchSize);
      try {
        const result = await store.append(ledger.streamId, batch, revision === -1 ? 'no_stream' : revision);
        revision = result.revision;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        conflict ??= new ImportConflictError(ledger.streamId, { events: appended, accounts: accountsDone }, error);
        return;
      }
      appended += batch.length;
      options.onAppended(appended, total);
    }
    if (!conflict) accountsDone += 1;
  };

  const worker = async () => {
    try {
      while (!conflict && !failed && next < ledgers.length) await appendAccount(ledgers[next++]!);
    } catch (error) {
      // The other workers finish their current account and take no new one.
      failed = true;
      throw error;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  if (conflict) {
    throw new ImportConflictError(conflict.streamId, { events: appended, accounts: accountsDone }, conflict.cause as Error);
  }
  // Free the events as soon as they are stored.
  for (const ledger of ledgers) ledger.events.length = 0;
  return appended;
}
