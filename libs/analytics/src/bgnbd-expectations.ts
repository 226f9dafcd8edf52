import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import { assertBgNbdObservation } from './bgnbd';
import type { BgNbdObservation, BgNbdParams } from './model.types';

/** Weeks in a year, with weeks counted as 7 calendar days as the observations are. */
const WEEKS_PER_YEAR = 365.25 / 7;

/** FHL 2005 eq. 10's denominator, 1 / P(alive): 1 + the odds that the customer dropped out after their last purchase. */
function inverseProbabilityAlive({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: BgNbdObservation): number {
  if (x === 0) return 1;
  return 1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x);
}

/** P(the customer is still active at T | x, tx, T). A customer without a repeat purchase cannot have dropped out. */
export function bgnbdProbabilityAlive(params: BgNbdParams, observation: BgNbdObservation): number {
  assertBgNbdObservation(observation);
  return 1 / inverseProbabilityAlive(params, observation);
}

// Eq. 10 divides by a − 1 and its bracket vanishes at a = 1 (the ₂F₁ collapses to a power);
// near there both lose their digits, so the value is interpolated from just outside.
const A_NEAR_ONE = 1e-4;

/** Eq. 10's numerator: what the customer would buy in (T, T + t] if known to be alive at T. */
function expectedWhileAlive(params: BgNbdParams, x: number, T: number, t: number): number {
  const { r, alpha, a, b } = params;
  if (Math.abs(a - 1) < A_NEAR_ONE) {
    const [low, high] = [1 - 2 * A_NEAR_ONE, 1 + 2 * A_NEAR_ONE];
    const below = expectedWhileAlive({ ...params, a: low }, x, T, t);
    const above = expectedWhileAlive({ ...params, a: high }, x, T, t);
    return below + ((above - below) * (a - low)) / (high - low);
  }
  const horizon = alpha + T + t;
  const tail = Math.pow((alpha + T) / horizon, r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / horizon);
  return ((a + b + x - 1) / (a - 1)) * (1 - tail);
}

/** E[Y(t) | x, tx, T]: purchases expected in the `t` weeks after T (FHL 2005 eq. 10). */
export function bgnbdConditionalExpectedPurchases(params: BgNbdParams, observation: BgNbdObservation, t: number): number {
  assertBgNbdObservation(observation);
  if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`t must be a finite number of weeks ≥ 0, got ${t}`);
  if (t === 0) return 0;
  return expectedWhileAlive(params, observation.x, observation.T, t) / inverseProbabilityAlive(params, observation);
}

/**
 * Purchases expected in the next `horizonWeeks` weeks, each week's expected purchases
 * (the increment of E[Y(w)]) discounted to T at the weekly equivalent of `annualDiscountRate`.
 */
export function bgnbdDiscountedExpectedPurchases(params: BgNbdParams, observation: BgNbdObservation, horizonWeeks: number, annualDiscountRate: number): number {
  if (!Number.isInteger(horizonWeeks) || horizonWeeks < 0) throw new RangeError(`horizonWeeks must be a non-negative integer, got ${horizonWeeks}`);
  if (!(annualDiscountRate > -1 && Number.isFinite(annualDiscountRate))) throw new RangeError(`annualDiscountRate must be a finite rate > -1, got ${annualDiscountRate}`);
  let total = 0;
  let previous = 0;
  for (let week = 1; week <= horizonWeeks; week += 1) {
    const expected = bgnbdConditionalExpectedPurchases(params, observation, week);
    total += (expected - previous) * Math.pow(1 + annualDiscountRate, -week / WEEKS_PER_YEAR);
    previous = expected;
  }
  return total;
}
