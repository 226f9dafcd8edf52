import type { AccountState } from '@ahe/domain';
import type { EventStore } from '@ahe/event-store';

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
export class FoldedAccounts {
  private readonly accounts = new Map<string, FoldedAccount>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): FoldedAccount | undefined {
    const folded = this.accounts.get(streamId);
    if (folded) {
      this.accounts.delete(streamId);
      this.accounts.set(streamId, folded);
    }
    return folded;
  }

  set(streamId: string, folded: FoldedAccount): void {
    this.accounts.delete(streamId);
    this.accounts.set(streamId, folded);
    if (this.accounts.size > this.capacity) this.accounts.delete(this.accounts.keys().next().value!);
  }

  forget(streamId: string): void {
    this.accounts.delete(streamId);
  }
}

const byStore = new WeakMap<EventStore, FoldedAccounts>();

/** One cache per store: every writer of this process through that store shares it. */
export function foldedAccountsOf(store: EventStore): FoldedAccounts {
  let folded = byStore.get(store);
  if (!folded) byStore.set(store, (folded = new FoldedAccounts()));
  return folded;
}
