import { assertBgNbdObservation } from './bgnbd';
import { bgnbdPurchasesWhileAlive } from './bgnbd-alive-purchases';
import { bgnbdParamsProblem } from './model-validity';
import type { BgNbdObservation, BgNbdParams } from './model.types';
import { figure, UnreliableEstimateError } from './unreliable-estimate.error';

/** Weeks in a year, with weeks counted as 7 calendar days as the observations are. */
const WEEKS_PER_YEAR = 365.25 / 7;

function assertBgNbdParams(params: BgNbdParams): void {
  const problem = bgnbdParamsProblem(params);
  if (problem !== null) throw new RangeError(`BG/NBD parameters: ${problem}`);
}

/**
 * FHL 2005 eq. 10's denominator, 1 / P(alive): 1 + the odds that the customer dropped out after
 * their last purchase. In logs, so a long silence gives odds of Infinity (P(alive) = 0), not NaN.
 */
function inverseProbabilityAlive({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: BgNbdObservation): number {
  if (x === 0) return 1;
  return 1 + Math.exp(Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log((alpha + T) / (alpha + tx)));
}

/** P(the customer is still active at T | x, tx, T). A customer without a repeat purchase cannot have dropped out. */
export function bgnbdProbabilityAlive(params: BgNbdParams, observation: BgNbdObservation): number {
  assertBgNbdParams(params);
  assertBgNbdObservation(observation);
  return 1 / inverseProbabilityAlive(params, observation);
}

/** E[Y(t) | x, tx, T]: purchases expected in the `t` weeks after T (FHL 2005 eq. 10). */
export function bgnbdConditionalExpectedPurchases(params: BgNbdParams, observation: BgNbdObservation, t: number): number {
  assertBgNbdParams(params);
  assertBgNbdObservation(observation);
  if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`t must be a finite number of weeks ≥ 0, got ${t}`);
  if (t === 0) return 0;
  return bgnbdPurchasesWhileAlive(params, observation.x, observation.T, t) / inverseProbabilityAlive(params, observation);
}

/**
 * Nodes and weights of 16-point Gauss–Legendre quadrature on [−1, 1], by Newton's method on
 * the Legendre polynomial (Numerical Recipes' gauleg). Exact for polynomials of degree 31; E[Y(t)]
 * is smooth in t, so 16 evaluations of ₂F₁ replace one per week of the horizon.
 */
export function gaussLegendre(points: number): { readonly nodes: readonly number[]; readonly weights: readonly number[] } {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= points; i += 1) {
    let z = Math.cos((Math.PI * (i - 0.25)) / (points + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration += 1) {
      let [p1, p2] = [1, 0];
      for (let j = 1; j <= points; j += 1) [p1, p2] = [((2 * j - 1) * z * p1 - (j - 1) * p2) / j, p1];
      derivative = (points * (z * p1 - p2)) / (z * z - 1);
      const step = p1 / derivative;
      z -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    nodes.push(z);
    weights.push(2 / ((1 - z * z) * derivative * derivative));
  }
  return { nodes, weights };
}

const QUADRATURE = gaussLegendre(16);

/** Parameter sets whose alive purchases are kept (a deployment serves one fit, an as-of read or a backtest another). */
const CACHED_FITS = 8;
/** (x, T) pairs kept per parameter set: T is whole days in weeks, so an account base has a few thousand. */
const CACHED_OBSERVATIONS = 50_000;
const aliveByFit = new Map<string, Map<string, Float64Array>>();

/**
 * bgnbdPurchasesWhileAlive at the horizon (index 0) and, when discounting, at each quadrature
 * node (1…16), for one (x, T). They depend on the parameters, x, T and the horizon alone (not
 * on tx, which only enters P(alive)), and x and T repeat across customers and across the days
 * an account is scored on: a rebuild scores an account-day for every event, and each value is
 * a series of up to thousands of terms, 17 of them an estimate. So they are computed once per
 * parameter set and (x, T), and the arithmetic around them is the same as without the cache.
 * A value that cannot be computed throws every time; nothing is kept for it.
 */
function alivePurchasesAt(params: BgNbdParams, x: number, T: number, horizonWeeks: number, discounted: boolean): Float64Array {
  const fitKey = `${params.r}|${params.alpha}|${params.a}|${params.b}|${horizonWeeks}|${discounted}`;
  let byObservation = aliveByFit.get(fitKey);
  if (byObservation === undefined) {
    if (aliveByFit.size >= CACHED_FITS) aliveByFit.delete(aliveByFit.keys().next().value as string);
    byObservation = new Map();
    aliveByFit.set(fitKey, byObservation);
  }
  const key = `${x}|${T}`;
  let alive = byObservation.get(key);
  if (alive === undefined) {
    alive = new Float64Array(discounted ? QUADRATURE.nodes.length + 1 : 1);
    alive[0] = bgnbdPurchasesWhileAlive(params, x, T, horizonWeeks);
    const half = horizonWeeks / 2;
    if (discounted) QUADRATURE.nodes.forEach((node, index) => (alive![index + 1] = bgnbdPurchasesWhileAlive(params, x, T, half * (node + 1))));
    if (byObservation.size >= CACHED_OBSERVATIONS) byObservation.clear();
    byObservation.set(key, alive);
  }
  return alive;
}

/**
 * Purchases expected in the next `horizonWeeks` weeks, each discounted back to T continuously at
 * the rate equivalent to `annualDiscountRate`: ∫₀ᴴ e^(−ρt) dE[Y(t)] with ρ = ln(1 + rate) per
 * year, which by parts is e^(−ρH)·E[Y(H)] + ρ∫₀ᴴ e^(−ρt)·E[Y(t)] dt, the integral by quadrature.
 * E[Y(t)] is eq. 10 as in bgnbdConditionalExpectedPurchases: the alive purchases (cached, see
 * alivePurchasesAt) over 1 / P(alive).
 */
export function bgnbdDiscountedExpectedPurchases(params: BgNbdParams, observation: BgNbdObservation, horizonWeeks: number, annualDiscountRate: number): number {
  if (!Number.isInteger(horizonWeeks) || horizonWeeks < 0) throw new RangeError(`horizonWeeks must be a non-negative integer, got ${horizonWeeks}`);
  if (!(annualDiscountRate > -1 && Number.isFinite(annualDiscountRate))) throw new RangeError(`annualDiscountRate must be a finite rate > -1, got ${annualDiscountRate}`);
  if (horizonWeeks === 0) return 0;
  assertBgNbdParams(params);
  assertBgNbdObservation(observation);
  const rho = Math.log(1 + annualDiscountRate) / WEEKS_PER_YEAR;
  const alive = alivePurchasesAt(params, observation.x, observation.T, horizonWeeks, rho !== 0);
  const inverse = inverseProbabilityAlive(params, observation);
  const half = horizonWeeks / 2;
  let integral = 0;
  if (rho !== 0) {
    QUADRATURE.nodes.forEach((node, index) => {
      const t = half * (node + 1);
      integral += QUADRATURE.weights[index]! * Math.exp(-rho * t) * (alive[index + 1]! / inverse);
    });
  }
  const discounted = Math.exp(-rho * horizonWeeks) * (alive[0]! / inverse) + rho * half * integral;
  // Each term is ≥ 0 and finite; this only trips if quadrature meets a value it should not.
  if (!(discounted >= 0 && Number.isFinite(discounted))) {
    throw new UnreliableEstimateError(`BG/NBD discounted expected purchases came out ${figure(discounted)} for x=${observation.x}, T=${figure(observation.T)}`);
  }
  return discounted;
}
