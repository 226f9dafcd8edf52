import gammaln from '@stdlib/math-base-special-gammaln';
import { maximizeLogLikelihood } from './maximize-log-likelihood';
import { memoizeByCount } from './memoize-by-count';
import { gammaGammaParamsProblem } from './model-validity';
import type { FitReport, GammaGammaObservation, GammaGammaParams } from './model.types';
import { assertCount, totalWeight, weightOf } from './observation-weight';

/**
 * The Gamma-Gamma model of spend per purchase (Colombo & Jiang 1999; Fader, Hardie & Lee
 * 2005; Fader & Hardie 2013): each purchase's value ~ Gamma(p, ν) around a customer's own
 * mean p/ν, and ν ~ Gamma(q, v) across customers. It assumes spend is independent of how
 * often the customer buys. Values are in the currency's major unit.
 */

// Bound once: under a VM context (Jest) every global `Math` lookup is slow, and the
// likelihood makes several per customer per evaluation.
const { log } = Math;

function assertGammaGammaObservation(observation: GammaGammaObservation): void {
  const { x, meanValue } = observation;
  if (!Number.isInteger(x) || x < 1) throw new RangeError(`x must be an integer ≥ 1, got ${x}`);
  if (!(meanValue > 0 && Number.isFinite(meanValue))) throw new RangeError(`meanValue must be a positive finite amount, got ${meanValue}`);
  assertCount(observation);
}

/** Σ log density of each customer's mean spend m̄ over their x purchases (Fader & Hardie 2013, eq. 4). */
function sumLogLikelihood({ p, q, v }: GammaGammaParams, data: readonly GammaGammaObservation[]): number {
  const shape = memoizeByCount((x) => gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * log(v) + p * x * log(x));
  let sum = 0;
  for (const observation of data) {
    const weight = weightOf(observation);
    if (weight === 0) continue;
    const { x, meanValue } = observation;
    sum += weight * (shape(x) + (p * x - 1) * log(meanValue) - (p * x + q) * log(v + x * meanValue));
  }
  return sum;
}

export function gammaGammaLogLikelihood(params: GammaGammaParams, data: readonly GammaGammaObservation[]): number {
  data.forEach(assertGammaGammaObservation);
  return sumLogLikelihood(params, data);
}

/** Starts whose population mean p·v/(q − 1) equals the observed mean spend, at three shapes. */
function gammaGammaStarts(data: readonly GammaGammaObservation[]): number[][] {
  const customers = totalWeight(data);
  const meanSpend = data.reduce((sum, o) => sum + weightOf(o) * o.meanValue, 0) / customers;
  return [
    [1, 2, meanSpend],
    [5, 5, 0.8 * meanSpend],
    [2, 10, 4.5 * meanSpend],
  ];
}

/** Maximum-likelihood p, q, v. Null without a customer who made a repeat purchase. */
export function fitGammaGamma(data: readonly GammaGammaObservation[]): FitReport<GammaGammaParams> | null {
  data.forEach(assertGammaGammaObservation);
  if (totalWeight(data) === 0) return null;
  const best = maximizeLogLikelihood(([p, q, v]) => sumLogLikelihood({ p, q, v }, data), gammaGammaStarts(data));
  const [p, q, v] = best.params;
  return { params: { p, q, v }, logLikelihood: best.logLikelihood, n: totalWeight(data), converged: best.converged, evaluations: best.evaluations };
}

/**
 * Expected spend per future purchase: for a customer with `x` purchases of mean m̄,
 * p(v + x·m̄)/(p·x + q − 1), a weighted mean of the population's p·v/(q − 1) and their own
 * m̄; for a customer with no repeat purchase yet (null), the population mean. Both are
 * infinite unless q > 1 (spend too dispersed to have a mean), which is refused, as are
 * parameters that are not positive and finite.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, observation: GammaGammaObservation | null): number {
  const problem = gammaGammaParamsProblem(params);
  if (problem !== null) throw new RangeError(`Gamma-Gamma expected spend: ${problem}`);
  const { p, q, v } = params;
  if (observation === null) return (p * v) / (q - 1);
  assertGammaGammaObservation(observation);
  const { x, meanValue } = observation;
  return (p * (v + x * meanValue)) / (p * x + q - 1);
}
