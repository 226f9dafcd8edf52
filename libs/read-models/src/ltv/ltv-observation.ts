import { utcDayNumber } from '../scoring/utc-calendar';
import type { LtvHistory, LtvObservation } from './ltv.types';

const DAYS_PER_WEEK = 7;

/** What the fits make of an account, whatever the instant: the `kind` column of ltv_customers. */
export function ltvKindOf(history: LtvHistory): LtvObservation['kind'] {
  if (history.contractual) return 'contractual';
  return history.purchases.length > 0 ? 'purchases' : 'none';
}

/**
 * The account as the fits see it at `at`. Contractual: the renewal decisions it survived, and
 * whether it has churned (renewal lost, or closed) — otherwise it is censored in its term.
 * Non-contractual: BG/NBD's (x, tx, T) in weeks from the first purchase, and the mean value of
 * the repeat purchases in major units, the scale the Gamma-Gamma model is fitted on.
 */
export function observeLtv(history: LtvHistory, at: Date): LtvObservation {
  const { segment } = history;
  switch (ltvKindOf(history)) {
    case 'contractual':
      return { kind: 'contractual', segment, sbg: { renewals: history.renewalsWon, churned: history.lostAt !== null || history.closedAt !== null } };
    case 'purchases':
      return { kind: 'purchases', segment, ...purchaseObservation(history, utcDayNumber(at.getTime())) };
    case 'none':
      return { kind: 'none' };
  }
}

function purchaseObservation(history: LtvHistory, today: number): Pick<Extract<LtvObservation, { kind: 'purchases' }>, 'bgnbd' | 'spend'> {
  const { purchases } = history;
  const first = purchases[0]![0];
  const x = purchases.length - 1;
  const tx = (purchases[x]![0] - first) / DAYS_PER_WEEK;
  // A purchase dated after `at` (clock skew, a future-dated invoice) must not put tx past T.
  const T = Math.max((today - first) / DAYS_PER_WEEK, tx);
  if (x === 0) return { bgnbd: { x, tx, T }, spend: null };
  const repeatMinor = purchases.slice(1).reduce((sum, [, amount]) => sum + amount, 0);
  return { bgnbd: { x, tx, T }, spend: { x, meanValue: repeatMinor / x / minorUnitsPerMajor(history.currency) } };
}

const minorUnits = new Map<string, number>();

/** 100 for EUR, 1 for JPY, 1000 for BHD: the ISO 4217 minor-unit digits Intl knows. */
export function minorUnitsPerMajor(currency: string): number {
  let factor = minorUnits.get(currency);
  if (factor === undefined) {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    factor = 10 ** digits;
    minorUnits.set(currency, factor);
  }
  return factor;
}
