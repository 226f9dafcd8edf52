import type { EventEnvelope } from '@ahe/event-store';
import type { TimeAxis } from '../ltv/ltv.types';
import { instantMs } from '../scoring/utc-calendar';

/** An instant on one of the log's two time axes (DESIGN "Bitemporal events"). */
export interface AsOfInstant {
  readonly at: Date;
  readonly axis: TimeAxis;
}

/** occurredAt (business time, may be back-dated) or recordedAt (when the store accepted it). */
export const instantOnAxis = (envelope: EventEnvelope, axis: TimeAxis): string => (axis === 'occurred' ? envelope.occurredAt : envelope.recordedAt);

/**
 * The one rule every as-of answer folds by (account state and health, portfolio replays, LTV
 * fits, backtests): an event counts when its instant on the axis is at or before asOf. A
 * back-dated event therefore counts on the occurred axis from its occurredAt on, and on the
 * recorded axis only from its recording on.
 */
export const countsAsOf = (envelope: EventEnvelope, asOfMs: number, axis: TimeAxis): boolean => instantMs(instantOnAxis(envelope, axis)) <= asOfMs;
