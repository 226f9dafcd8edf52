import type { FoldableEvent } from '@ahe/domain';

/*
 * What the as-of LTV index (ltv-log-index.ts) keeps of each event, and the lists ltv-log-account.ts
 * keeps them in for each account. It keeps them for the life of the API process, one per LTV
 * event and account, so their size is the index's memory (docs/operations.md).
 */

/**
 * An event after the opening that bears on LTV, cut down to what the fold reads of it
 * (ltvEntryOf), with `at`, its place in the log: its instants are the index's, not kept twice.
 */
export type LtvEntry = FoldableEvent & { readonly at: number };

/**
 * A list grown by push holds 16 spare slots after its first push, more than most accounts have
 * entries: lists up to this length are copied to their exact length instead, longer ones pushed to.
 */
const COPIED_UP_TO = 16;
/** The lists of every account that has none yet. */
export const NONE: readonly never[] = Object.freeze([]);

/**
 * The event with only the fields evolveLtvHistory (ltv/ltv-history.ts) reads of it, and its place
 * in the log: the index keeps it for the life of the process, and the rest of its data (invoice
 * ids, due dates, reasons) and an instant the fold ignores would be most of it. The type is a
 * literal, so that no copy of the store's string stays either. A type that bears on LTV but is
 * not cut here is kept whole, which folds the same. The spec checks the cut events fold as the
 * whole ones do in a replay.
 */
export function ltvEntryOf(event: FoldableEvent, at: number): LtvEntry {
  switch (event.type) {
    case 'InvoiceIssued':
      return { type: 'InvoiceIssued', occurredAt: event.occurredAt, data: { amount: event.data.amount }, at } as LtvEntry;
    case 'RenewalWon':
      return { type: 'RenewalWon', data: { endsOn: event.data.endsOn, annualValue: event.data.annualValue }, at } as LtvEntry;
    case 'RenewalLost':
      return { type: 'RenewalLost', occurredAt: event.occurredAt, at } as LtvEntry;
    case 'AccountClosed':
      return { type: 'AccountClosed', occurredAt: event.occurredAt, at } as LtvEntry;
    default:
      return { ...event, at };
  }
}

/** The list with the item after its last: a new exact-length list while short, the same one pushed to after (never NONE). */
export function appended<T>(list: readonly T[], item: T): readonly T[] {
  if (list.length >= COPIED_UP_TO) {
    (list as T[]).push(item);
    return list;
  }
  return list.concat([item]);
}
