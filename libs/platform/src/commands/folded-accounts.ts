import type { AccountState } from '@ahe/domain';
import { LruMap, type EventStore } from '@ahe/event-store';

/** An account's state folded from its stream up to `revision`. */
export interface FoldedAccount {
  readonly state: AccountState;
  readonly revision: number;
}

/**
 * Recently folded accounts, so that a command need not read its stream again. Only a hint:
 * a command decided on a state that is no longer the stream's head is refused by the append's
 * expected revision, and the retry reads the stream. States are never mutated (evolve copies).
 */
export class FoldedAccounts extends LruMap<string, FoldedAccount> {
  constructor(capacity = 10_000) {
    super(capacity);
  }
}

const byStore = new WeakMap<EventStore, FoldedAccounts>();

/** One cache per store: every writer of this process through that store shares it. */
export function foldedAccountsOf(store: EventStore): FoldedAccounts {
  let folded = byStore.get(store);
  if (!folded) byStore.set(store, (folded = new FoldedAccounts()));
  return folded;
}
