import { accountIdOfStream, type FoldableEvent } from '@ahe/domain';
import { isAccountEventType } from '@ahe/events';
import type { EventEnvelope } from '@ahe/event-store';
import { observeLtv } from '../ltv/ltv-observation';
import type { LtvObservation, TimeAxis } from '../ltv/ltv.types';
import { instantMs } from '../scoring/utc-calendar';
import type { AsOfInstant } from './as-of-filter';
import { addAccountEvent, ltvHistoryAsOf, openedAccount, type IndexedAccount } from './ltv-log-account';

/** What an LTV fit as of an instant is made from: the fit's input and its `position`. */
export interface LtvObservationsAsOf {
  /** In the order a portfolio replay lists the accounts; accounts with nothing to fit left out. */
  readonly observations: readonly LtvObservation[];
  /** Global position of the last event counting at the instant; 0 when none does. */
  readonly position: number;
}

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
      const observation = observeLtv(ltvHistoryAsOf(account, instants, atMs, occurred), asOf.at);
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
      this.accounts.set(envelope.streamId, openedAccount(event, at, occurredMs, recordedMs));
      return;
    }
    if (!isAccountEventType(event.type)) return;
    if (event.type === 'AccountOpened') return this.giveUp(envelope.streamId);
    addAccountEvent(account, event, at, occurredMs, recordedMs);
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

/** Half as large again: the arrays hold 8 bytes an event each, and a doubling leaves up to half of them unused. */
function grown(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const larger = new Float64Array(Math.ceil(array.length * 1.5));
  larger.set(array);
  return larger;
}
