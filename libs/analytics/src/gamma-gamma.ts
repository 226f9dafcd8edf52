import gammaln from '@stdlib/math-base-special-gammaln';
import { maximizeLogLikelihood } from './maximize-log-likelihood';
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

/**
 * The observations as columns, those of weight 0 left out, each mean's logarithm taken once:
 * the fit evaluates the likelihood thousands of times over the same data, and reading a
 * property of each observation object (of several shapes: with a count or without) cost more
 * than the arithmetic.
 */
interface PreparedSpends {
  readonly weights: Float64Array;
  /** Index of each observation's purchase count in `counts`. */
  readonly countIndex: Int32Array;
  readonly counts: readonly number[];
  readonly xs: Float64Array;
  readonly means: Float64Array;
  readonly logMeans: Float64Array;
}

function prepare(data: readonly GammaGammaObservation[]): PreparedSpends {
  const used = data.filter((observation) => weightOf(observation) !== 0);
  const counts: number[] = [];
  const indexOfCount = new Map<number, number>();
  const columns = {
    weights: new Float64Array(used.length), countIndex: new Int32Array(used.length), counts,
    xs: new Float64Array(used.length), means: new Float64Array(used.length), logMeans: new Float64Array(used.length),
  };
  used.forEach((observation, index) => {
    const { x, meanValue } = observation;
    let countAt = indexOfCount.get(x);
    if (countAt === undefined) {
      countAt = counts.push(x) - 1;
      indexOfCount.set(x, countAt);
    }
    columns.weights[index] = weightOf(observation);
    columns.countIndex[index] = countAt;
    columns.xs[index] = x;
    columns.means[index] = meanValue;
    columns.logMeans[index] = log(meanValue);
  });
  return columns;
}

/** Σ log density of each customer's mean spend m̄ over their x purchases (Fader & Hardie 2013, eq. 4). */
function sumLogLikelihood({ p, q, v }: GammaGammaParams, data: PreparedSpends): number {
  // The special-function part depends on the count alone: once per distinct count.
  const shapes = data.counts.map((x) => gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * log(v) + p * x * log(x));
  const { weights, countIndex, xs, means, logMeans } = data;
  let sum = 0;
  for (let index = 0; index < weights.length; index++) {
    const x = xs[index]!;
    const meanValue = means[index]!;
    sum += weights[index]! * (shapes[countIndex[index]!]! + (p * x - 1) * logMeans[index]! - (p * x + q) * log(v + x * meanValue));
  }
  return sum;
}

export function gammaGammaLogLikelihood(params: GammaGammaParams, data: readonly GammaGammaObservation[]): number {
  data.forEach(assertGammaGammaObservation);
  return sumLogLikelihood(params, prepare(data));
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
  const prepared = prepare(data);
  const best = maximizeLogLikelihood(([p, q, v]) => sumLogLikelihood({ p, q, v }, prepared), gammaGammaStarts(data));
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
