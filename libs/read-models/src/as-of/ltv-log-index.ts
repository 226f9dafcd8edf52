import { accountIdOfStream, type FoldableEvent } from '@ahe/domain';
import { isAccountEventType } from '@ahe/events';
import type { EventEnvelope } from '@ahe/event-store';
import { bearsOnLtv, evolveLtvHistory, initialLtvHistory } from '../ltv/ltv-history';
import { observeLtv } from '../ltv/ltv-observation';
import type { LtvHistory, LtvObservation, TimeAxis } from '../ltv/ltv.types';
import { instantMs } from '../scoring/utc-calendar';
import type { AsOfInstant } from './as-of-filter';
import { appended, ltvEntryOf, NONE, type LtvEntry } from './ltv-log-entries';

/** What an LTV fit as of an instant is made from: the fit's input and its `position`. */
export interface LtvObservationsAsOf {
  /** In the order a portfolio replay lists the accounts; accounts with nothing to fit left out. */
  readonly observations: readonly LtvObservation[];
  /** Global position of the last event counting at the instant; 0 when none does. */
  readonly position: number;
}

/**
 * Held for the life of the process, one per account: hence instants as places in the log where
 * they can be, and lists that hold no spare slots (appended) and are shared while empty.
 */
interface IndexedAccount {
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

const INITIAL_CAPACITY = 1_024;

/**
 * The log as LTV fits of any past instant need it, kept in memory and fed in log order: per
 * account the history its opening folds to and the events evolveLtvHistory does not pass over
 * (invoices, renewals, closure) cut to what it reads of them, and every account event's instants
 * and position. `observationsAsOf` then gives what `ltvModelsAsOf(replayPortfolio(log, asOf))`
 * fits on — the same observations in the same order, the same position — without reading or
 * folding the log again; the spec proves them equal.
 * Streams that would not replay as a portfolio replay folds them (an event before the opening, a
 * second opening) are not modelled: the answer is then null, and the caller replays the log.
 */
export class LtvLogIndex {
  /** By stream id, the string the store already holds, rather than a second one for the account id. */
  private readonly accounts = new Map<string, IndexedAccount>();
  private occurredMs = new Float64Array(INITIAL_CAPACITY);
  private recordedMs = new Float64Array(INITIAL_CAPACITY);
  private positions = new Float64Array(INITIAL_CAPACITY);
  private length = 0;
  /** The first stream found that a replay must fold itself; null while there is none. */
  private irregularStream: string | null = null;

  /** Account events indexed. */
  get events(): number {
    return this.length;
  }

  /** Takes the next envelopes of the log, in log order; other streams than accounts' are passed over, as a replay does. */
  add(envelopes: Iterable<EventEnvelope>): void {
    for (const envelope of envelopes) {
      if (accountIdOfStream(envelope.streamId) === null) continue;
      const occurredMs = instantMs(envelope.occurredAt);
      const recordedMs = instantMs(envelope.recordedAt);
      this.keepInstants(occurredMs, recordedMs, envelope.globalPosition);
      if (this.irregularStream === null) this.addToAccount(envelope, occurredMs, recordedMs);
    }
  }

  /**
   * The observations and position an LTV fit as of the instant is made from, or null when some
   * stream needs the full replay (which also reports why a stream cannot be replayed).
   */
  observationsAsOf(asOf: AsOfInstant): LtvObservationsAsOf | null {
    if (this.irregularStream !== null) return null;
    const atMs = asOf.at.getTime();
    const occurred = asOf.axis === 'occurred';
    const instants = occurred ? this.occurredMs : this.recordedMs;
    const observations: LtvObservation[] = [];
    // Map order is opening order, the order a replay meets the accounts in.
    for (const account of this.accounts.values()) {
      // Written as countsAsOf compares, so that an unreadable instant (NaN) never counts.
      if (!(instants[account.openedAt]! <= atMs)) {
        // A known event counting without its opening: the replay throws for it.
        if ((occurred ? account.firstOtherOccurredMs : account.firstOtherRecordedMs) <= atMs) return null;
        continue;
      }
      const observation = observeLtv(historyAsOf(account, instants, atMs, occurred), asOf.at);
      if (observation.kind !== 'none') observations.push(observation);
    }
    return { observations, position: this.positionAsOf(atMs, asOf.axis) };
  }

  /** The envelope's instants are the last kept (keepInstants). */
  private addToAccount(envelope: EventEnvelope, occurredMs: number, recordedMs: number): void {
    const at = this.length - 1;
    const account = this.accounts.get(envelope.streamId);
    const event = { type: envelope.type, data: envelope.data, occurredAt: envelope.occurredAt } as FoldableEvent;
    if (account === undefined) {
      if (event.type !== 'AccountOpened') return this.giveUp(envelope.streamId);
      const opened = evolveLtvHistory(initialLtvHistory(), event);
      this.accounts.set(envelope.streamId, {
        opened,
        openedAt: at,
        entries: NONE,
        firstOtherOccurredMs: Infinity,
        firstOtherRecordedMs: Infinity,
        lastOccurredMs: occurredMs,
        lastRecordedMs: recordedMs,
        whole: opened,
        checkpoints: NONE,
      });
      return;
    }
    if (!isAccountEventType(event.type)) return;
    if (event.type === 'AccountOpened') return this.giveUp(envelope.streamId);
    if (occurredMs < account.firstOtherOccurredMs) account.firstOtherOccurredMs = occurredMs;
    if (recordedMs < account.firstOtherRecordedMs) account.firstOtherRecordedMs = recordedMs;
    if (!bearsOnLtv(event.type)) return;
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

  /** Every later question is answered by the replay: the accounts kept so far are no longer needed. */
  private giveUp(streamId: string): void {
    this.irregularStream = streamId;
    this.accounts.clear();
  }

  private keepInstants(occurredMs: number, recordedMs: number, position: number): void {
    if (this.length === this.positions.length) {
      this.occurredMs = grown(this.occurredMs);
      this.recordedMs = grown(this.recordedMs);
      this.positions = grown(this.positions);
    }
    this.occurredMs[this.length] = occurredMs;
    this.recordedMs[this.length] = recordedMs;
    this.positions[this.length] = position;
    this.length++;
  }

  private positionAsOf(atMs: number, axis: TimeAxis): number {
    const instants = axis === 'occurred' ? this.occurredMs : this.recordedMs;
    const { positions } = this;
    let position = 0;
    for (let index = 0; index < this.length; index++) {
      if (instants[index]! <= atMs && positions[index]! > position) position = positions[index]!;
    }
    return position;
  }
}

/**
 * The account's LTV history folded from its events counting at atMs, in log order, as
 * evolveHealthFacts folds it; `instants` are the log's on the axis.
 */
function historyAsOf(account: IndexedAccount, instants: Float64Array, atMs: number, occurred: boolean): LtvHistory {
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

/** Half as large again: the arrays hold 8 bytes an event each, and a doubling leaves up to half of them unused. */
function grown(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const larger = new Float64Array(Math.ceil(array.length * 1.5));
  larger.set(array);
  return larger;
}
