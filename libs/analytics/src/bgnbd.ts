import betaln from '@stdlib/math-base-special-betaln';
import gammaln from '@stdlib/math-base-special-gammaln';
import { maximizeLogLikelihood } from './maximize-log-likelihood';
import { memoizeByCount } from './memoize-by-count';
import type { BgNbdObservation, BgNbdParams, FitReport } from './model.types';
import { assertCount, totalWeight, weightOf } from './observation-weight';

/**
 * The BG/NBD model (Fader, Hardie & Lee 2005): while active, a customer buys as a Poisson
 * process of rate λ ~ Gamma(r, α); after each repeat purchase they drop out for good with
 * probability p ~ Beta(a, b). Time is in weeks from the customer's first purchase.
 */

// Bound once: under a VM context (Jest) every global `Math` lookup is slow, and the
// likelihood makes several per customer per evaluation.
const { exp, log, max } = Math;

export function assertBgNbdObservation(observation: BgNbdObservation): void {
  const { x, tx, T } = observation;
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`x must be a non-negative integer, got ${x}`);
  if (!(T >= 0 && Number.isFinite(T))) throw new RangeError(`T must be a finite number of weeks ≥ 0, got ${T}`);
  if (!(tx >= 0 && tx <= T)) throw new RangeError(`tx must lie in [0, T], got tx=${tx}, T=${T}`);
  assertCount(observation);
}

/**
 * FHL 2005 eq. 6, summed in log space: a customer is either still alive at T or dropped out
 * right after their last purchase at tx (only possible with x > 0).
 */
function sumLogLikelihood({ r, alpha, a, b }: BgNbdParams, data: readonly BgNbdObservation[]): number {
  const logBetaAB = betaln(a, b);
  const rate = memoizeByCount((x) => gammaln(r + x) - gammaln(r) + r * log(alpha));
  const alive = memoizeByCount((x) => betaln(a, b + x) - logBetaAB);
  const dropped = memoizeByCount((x) => betaln(a + 1, b + x - 1) - logBetaAB);
  let sum = 0;
  for (const observation of data) {
    const weight = weightOf(observation);
    if (weight === 0) continue;
    const { x, tx, T } = observation;
    const aliveAtT = alive(x) - (r + x) * log(alpha + T);
    if (x === 0) {
      sum += weight * (rate(x) + aliveAtT);
      continue;
    }
    const droppedAfterTx = dropped(x) - (r + x) * log(alpha + tx);
    const larger = max(aliveAtT, droppedAfterTx);
    sum += weight * (rate(x) + larger + log(exp(aliveAtT - larger) + exp(droppedAfterTx - larger)));
  }
  return sum;
}

export function bgnbdLogLikelihood(params: BgNbdParams, data: readonly BgNbdObservation[]): number {
  data.forEach(assertBgNbdObservation);
  return sumLogLikelihood(params, data);
}

/**
 * Starts spread over heterogeneity (r), with α matched to the observed purchase rate so that
 * r/α, the mean rate, starts about right whatever the data's time scale.
 */
function bgnbdStarts(data: readonly BgNbdObservation[]): number[][] {
  const purchases = data.reduce((sum, o) => sum + weightOf(o) * o.x, 0);
  const weeks = data.reduce((sum, o) => sum + weightOf(o) * o.T, 0);
  const meanRate = purchases / weeks;
  return [
    [1, 1 / meanRate, 1, 1],
    [0.3, 0.3 / meanRate, 0.5, 3],
    [3, 3 / meanRate, 2, 6],
  ];
}

/** Maximum-likelihood r, α, a, b. Null without a single repeat purchase: no rate to estimate. */
export function fitBgNbd(data: readonly BgNbdObservation[]): FitReport<BgNbdParams> | null {
  data.forEach(assertBgNbdObservation);
  if (!data.some((o) => weightOf(o) > 0 && o.x > 0)) return null;
  const best = maximizeLogLikelihood(([r, alpha, a, b]) => sumLogLikelihood({ r, alpha, a, b }, data), bgnbdStarts(data));
  const [r, alpha, a, b] = best.params;
  return { params: { r, alpha, a, b }, logLikelihood: best.logLikelihood, n: totalWeight(data), converged: best.converged, evaluations: best.evaluations };
}
