import type { FoldableEvent } from '@ahe/domain';
import { bearsOnLtv, evolveLtvHistory, initialLtvHistory } from '../ltv/ltv-history';
import type { LtvHistory } from '../ltv/ltv.types';
import { appended, ltvEntryOf, NONE, type LtvEntry } from './ltv-log-entries';

/**
 * Held for the life of the process, one per account: hence instants as places in the log where
 * they can be, and lists that hold no spare slots (appended) and are shared while empty.
 */
export interface IndexedAccount {
  /** The history folded from the opening alone: where a fold from the start begins. */
  readonly opened: LtvHistory;
  /** The opening's place in the log. */
  readonly openedAt: number;
  /** The events after the opening that bear on LTV, in log order. */
  entries: readonly LtvEntry[];
  /** Earliest instant on each axis of a known event after the opening: one counting without the opening breaks the replay. */
  firstOtherOccurredMs: number;
  firstOtherRecordedMs: number;
  /** Latest instant on each axis of the opening and entries: at or after it, the history is `whole`. */
  lastOccurredMs: number;
  lastRecordedMs: number;
  /** The history folded from every entry, kept as they arrive. */
  whole: LtvHistory;
  /** `whole` as it was after every CHECKPOINT_EVERY entries, with its `last` instants, in entry order. */
  checkpoints: readonly LtvCheckpoint[];
}

/** The opening and the first `entries` entries folded; it serves an instant at or after both its instants. */
interface LtvCheckpoint {
  readonly entries: number;
  readonly history: LtvHistory;
  readonly lastOccurredMs: number;
  readonly lastRecordedMs: number;
}

/** A long account (a 10,000-event stream has 2,500 invoices) folds at most this many entries per instant, plus those back-dated. */
const CHECKPOINT_EVERY = 128;

/** The account as its opening leaves it; `at` is the opening's place in the log. */
export function openedAccount(opening: FoldableEvent, at: number, occurredMs: number, recordedMs: number): IndexedAccount {
  const opened = evolveLtvHistory(initialLtvHistory(), opening);
  return {
    opened,
    openedAt: at,
    entries: NONE,
    firstOtherOccurredMs: Infinity,
    firstOtherRecordedMs: Infinity,
    lastOccurredMs: occurredMs,
    lastRecordedMs: recordedMs,
    whole: opened,
    checkpoints: NONE,
  };
}

/** Records a known account event after the opening, at `at` in the log: its instants, and its entry when it bears on LTV. */
export function addAccountEvent(account: IndexedAccount, event: FoldableEvent, at: number, occurredMs: number, recordedMs: number): void {
  if (occurredMs < account.firstOtherOccurredMs) account.firstOtherOccurredMs = occurredMs;
  if (recordedMs < account.firstOtherRecordedMs) account.firstOtherRecordedMs = recordedMs;
  if (bearsOnLtv(event.type)) addLtvEntry(account, event, at, occurredMs, recordedMs);
}

/** Keeps an event after the opening that bears on LTV and folds it into `whole`. */
function addLtvEntry(account: IndexedAccount, event: FoldableEvent, at: number, occurredMs: number, recordedMs: number): void {
  account.entries = appended(account.entries, ltvEntryOf(event, at));
  account.whole = evolveLtvHistory(account.whole, event);
  // NaN (an unreadable instant) must leave `last` NaN, so that the whole history is never taken for it.
  account.lastOccurredMs = occurredMs > account.lastOccurredMs || Number.isNaN(occurredMs) ? occurredMs : account.lastOccurredMs;
  account.lastRecordedMs = recordedMs > account.lastRecordedMs || Number.isNaN(recordedMs) ? recordedMs : account.lastRecordedMs;
  if (account.entries.length % CHECKPOINT_EVERY === 0) {
    const { entries, whole: history, lastOccurredMs, lastRecordedMs } = account;
    account.checkpoints = appended(account.checkpoints, { entries: entries.length, history, lastOccurredMs, lastRecordedMs });
  }
}

/**
 * The account's LTV history folded from its events counting at atMs, in log order, as
 * evolveHealthFacts folds it; `instants` are the log's on the axis.
 */
export function ltvHistoryAsOf(account: IndexedAccount, instants: Float64Array, atMs: number, occurred: boolean): LtvHistory {
  if ((occurred ? account.lastOccurredMs : account.lastRecordedMs) <= atMs) return account.whole;
  const { checkpoints, entries } = account;
  let from: LtvCheckpoint | undefined;
  for (let index = checkpoints.length - 1; index >= 0 && from === undefined; index--) {
    if ((occurred ? checkpoints[index]!.lastOccurredMs : checkpoints[index]!.lastRecordedMs) <= atMs) from = checkpoints[index];
  }
  let history = from?.history ?? account.opened;
  for (let index = from?.entries ?? 0; index < entries.length; index++) {
    const entry = entries[index]!;
    if (instants[entry.at]! <= atMs) history = evolveLtvHistory(history, entry);
  }
  return history;
}
