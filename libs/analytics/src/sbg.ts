import betaln from '@stdlib/math-base-special-betaln';
import { maximizeLogLikelihood } from './maximize-log-likelihood';
import { memoizeByCount } from './memoize-by-count';
import { sbgParamsProblem } from './model-validity';
import type { FitReport, SbgObservation, SbgParams } from './model.types';
import { assertCount, totalWeight, weightOf } from './observation-weight';

/**
 * The shifted-beta-geometric model (Fader & Hardie 2007): each customer churns at every
 * renewal decision with their own probability θ, and θ ~ Beta(α, β) across customers. Period t
 * ends with the t-th renewal decision, so P(T = t) = B(α+1, β+t−1)/B(α,β) and
 * S(t) = P(T > t) = B(α, β+t)/B(α,β).
 */

/** P(T > t): the share of a cohort still a customer after `t` renewal decisions. */
export function sbgSurvival({ alpha, beta }: SbgParams, t: number): number {
  return Math.exp(betaln(alpha, beta + t) - betaln(alpha, beta));
}

function assertRenewals(renewals: number): void {
  if (!Number.isInteger(renewals) || renewals < 0) throw new RangeError(`renewals must be a non-negative integer, got ${renewals}`);
}

function assertSbgObservation(observation: SbgObservation): void {
  assertRenewals(observation.renewals);
  assertCount(observation);
}

/** Churned after `renewals` renewals: P(T = renewals + 1). Still in its term: S(renewals). */
function sumLogLikelihood({ alpha, beta }: SbgParams, data: readonly SbgObservation[]): number {
  const logBeta = betaln(alpha, beta);
  const churnedAt = memoizeByCount((renewals) => betaln(alpha + 1, beta + renewals) - logBeta);
  const survived = memoizeByCount((renewals) => betaln(alpha, beta + renewals) - logBeta);
  let sum = 0;
  for (const observation of data) {
    const weight = weightOf(observation);
    if (weight > 0) sum += weight * (observation.churned ? churnedAt(observation.renewals) : survived(observation.renewals));
  }
  return sum;
}

export function sbgLogLikelihood(params: SbgParams, data: readonly SbgObservation[]): number {
  data.forEach(assertSbgObservation);
  return sumLogLikelihood(params, data);
}

const facedARenewal = (observation: SbgObservation): boolean => weightOf(observation) > 0 && (observation.churned || observation.renewals > 0);

// Mean churn probabilities from 5 % to 50 % at two polarizations: the likelihood surface is
// long and curved along α/(α+β), and one start can stall on it.
const SBG_STARTS: readonly (readonly number[])[] = [
  [1, 1],
  [0.5, 2],
  [2, 8],
  [0.2, 3],
];

/**
 * Maximum-likelihood α and β. Null when no customer has faced a renewal decision: a customer
 * in its first term (0 renewals, not churned) says nothing about θ.
 */
export function fitSbg(data: readonly SbgObservation[]): FitReport<SbgParams> | null {
  data.forEach(assertSbgObservation);
  if (!data.some(facedARenewal)) return null;
  const best = maximizeLogLikelihood(([alpha, beta]) => sumLogLikelihood({ alpha, beta }, data), SBG_STARTS);
  const [alpha, beta] = best.params;
  return { params: { alpha, beta }, logLikelihood: best.logLikelihood, n: totalWeight(data), converged: best.converged, evaluations: best.evaluations };
}

/**
 * Discounted expected residual lifetime (Fader & Hardie 2010) of a customer who has made
 * `renewals` renewals, so is in period n = renewals + 1, seen just before the decision that
 * ends it: the expected number of payments still to come, the first of them (that decision's
 * renewal) undiscounted and each later one discounted by a further period at `discountRate`:
 * Σ_{t≥n} S(t)/S(n−1) / (1+d)^{t−n} = (β+n−1)/(α+β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d)).
 * Multiplying by the value of a period gives the customer's expected future value.
 */
export function sbgDerl(params: SbgParams, renewals: number, discountRate: number): number {
  const problem = sbgParamsProblem(params);
  if (problem !== null) throw new RangeError(`sBG parameters: ${problem}`);
  const { alpha, beta } = params;
  assertRenewals(renewals);
  // Undiscounted, the residual lifetime is infinite whenever α ≤ 1.
  if (!(discountRate > 0)) throw new RangeError(`discountRate must be positive, got ${discountRate}`);
  // The ₂F₁ series summed term by term: each term is the last × (β+t)/(α+β+t)/(1+d) < 1/(1+d),
  // so it converges geometrically for any α and β. A library ₂F₁ loses every digit once α+β
  // passes a few hundred, which is where a portfolio without heterogeneity fits (the geometric limit).
  const n = renewals + 1;
  const shrink = 1 / (1 + discountRate);
  let term = (beta + n - 1) / (alpha + beta + n - 1);
  let sum = 0;
  for (let t = n; term > 1e-15 * sum && t < n + DERL_MAX_TERMS; t += 1) {
    sum += term;
    term *= ((beta + t) / (alpha + beta + t)) * shrink;
  }
  return sum;
}

/** Enough for a rate of 0.1 % a period to reach 1e-15 (ln 1e15 / ln 1.001 ≈ 34,500). */
const DERL_MAX_TERMS = 40_000;
