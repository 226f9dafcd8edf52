import betaln from '@stdlib/math-base-special-betaln';
import gammaln from '@stdlib/math-base-special-gammaln';
import { maximizeLogLikelihood } from './maximize-log-likelihood';
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
 * The data as the likelihood walks it, prepared once per fit: customers with a weight, and
 * their x, tx and T as indices into the distinct values. A portfolio's histories share few
 * distinct purchase counts and week values (T and tx are days over seven), so each
 * evaluation takes the logarithms and special functions once per distinct value rather than
 * once per customer. The arithmetic per customer is the same, in the same order, so the sum is
 * the same to the last bit as the customer-by-customer form.
 */
interface PreparedData {
  readonly weights: readonly number[];
  readonly xIndex: Int32Array;
  readonly tIndex: Int32Array;
  readonly txIndex: Int32Array;
  readonly xs: readonly number[];
  readonly Ts: readonly number[];
  readonly txs: readonly number[];
}

function prepare(data: readonly BgNbdObservation[]): PreparedData {
  const used = data.filter((observation) => weightOf(observation) !== 0);
  const indexer = () => {
    const values: number[] = [];
    const indices = new Map<number, number>();
    return {
      values,
      indexOf: (value: number): number => {
        let index = indices.get(value);
        if (index === undefined) {
          index = values.length;
          values.push(value);
          indices.set(value, index);
        }
        return index;
      },
    };
  };
  const [xs, Ts, txs] = [indexer(), indexer(), indexer()];
  const xIndex = new Int32Array(used.length);
  const tIndex = new Int32Array(used.length);
  const txIndex = new Int32Array(used.length);
  used.forEach(({ x, tx, T }, index) => {
    xIndex[index] = xs.indexOf(x);
    tIndex[index] = Ts.indexOf(T);
    txIndex[index] = txs.indexOf(tx);
  });
  return { weights: used.map(weightOf), xIndex, tIndex, txIndex, xs: xs.values, Ts: Ts.values, txs: txs.values };
}

/**
 * FHL 2005 eq. 6, summed in log space: a customer is either still alive at T or dropped out
 * right after their last purchase at tx (only possible with x > 0).
 */
function sumLogLikelihood({ r, alpha, a, b }: BgNbdParams, data: PreparedData): number {
  const logBetaAB = betaln(a, b);
  const { weights, xIndex, tIndex, txIndex, xs } = data;
  const rate = xs.map((x) => gammaln(r + x) - gammaln(r) + r * log(alpha));
  const alive = xs.map((x) => betaln(a, b + x) - logBetaAB);
  // Only for x > 0; never read for x = 0 (where b + x − 1 may be out of betaln's domain).
  const dropped = xs.map((x) => (x === 0 ? 0 : betaln(a + 1, b + x - 1) - logBetaAB));
  const logAlphaT = data.Ts.map((T) => log(alpha + T));
  const logAlphaTx = data.txs.map((tx) => log(alpha + tx));
  let sum = 0;
  for (let index = 0; index < weights.length; index++) {
    const weight = weights[index]!;
    const xi = xIndex[index]!;
    const x = xs[xi]!;
    const aliveAtT = alive[xi]! - (r + x) * logAlphaT[tIndex[index]!]!;
    if (x === 0) {
      sum += weight * (rate[xi]! + aliveAtT);
      continue;
    }
    const droppedAfterTx = dropped[xi]! - (r + x) * logAlphaTx[txIndex[index]!]!;
    const larger = max(aliveAtT, droppedAfterTx);
    sum += weight * (rate[xi]! + larger + log(exp(aliveAtT - larger) + exp(droppedAfterTx - larger)));
  }
  return sum;
}

export function bgnbdLogLikelihood(params: BgNbdParams, data: readonly BgNbdObservation[]): number {
  data.forEach(assertBgNbdObservation);
  return sumLogLikelihood(params, prepare(data));
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
  const prepared = prepare(data);
  const best = maximizeLogLikelihood(([r, alpha, a, b]) => sumLogLikelihood({ r, alpha, a, b }, prepared), bgnbdStarts(data));
  const [r, alpha, a, b] = best.params;
  return { params: { r, alpha, a, b }, logLikelihood: best.logLikelihood, n: totalWeight(data), converged: best.converged, evaluations: best.evaluations };
}
