import { fitSbg, sbgDerl, sbgLogLikelihood, sbgSurvival } from './sbg';
import type { SbgObservation } from './model.types';
import { simulateSbg } from './testing/simulate-sbg';

/** A cohort given as percent still a customer at the start of years 0..7 (Fader & Hardie 2007). */
function cohortFromPercentAlive(percentAlive: readonly number[], customers: number): SbgObservation[] {
  const survivors = percentAlive.map((percent) => Math.round((percent / 100) * customers));
  const churned = survivors.slice(1).map((alive, year) => ({ renewals: year, churned: true, count: survivors[year] - alive }));
  return [...churned, { renewals: survivors.length - 1, churned: false, count: survivors[survivors.length - 1] }];
}

const REGULAR = cohortFromPercentAlive([100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1], 1000);
const HIGH_END = cohortFromPercentAlive([100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1], 1000);

describe('sBG', () => {
  it('reproduces the published fits of the regular and high-end cohorts', () => {
    const regular = fitSbg(REGULAR);
    const highEnd = fitSbg(HIGH_END);
    expect(regular?.params.alpha).toBeCloseTo(0.704, 2);
    expect(regular?.params.beta).toBeCloseTo(1.182, 2);
    expect(highEnd?.params.alpha).toBeCloseTo(0.668, 2);
    expect(highEnd?.params.beta).toBeCloseTo(3.806, 1);
    expect(regular?.n).toBe(1000);
    expect(regular?.converged).toBe(true);
    expect(regular?.logLikelihood).toBeCloseTo(-1680.3, 0); // as published
  });

  it('reports the maximum of the likelihood it reports', () => {
    const fit = fitSbg(REGULAR);
    if (!fit) throw new Error('expected a fit');
    const { alpha, beta } = fit.params;
    expect(sbgLogLikelihood(fit.params, REGULAR)).toBeCloseTo(fit.logLikelihood, 8);
    for (const nearby of [{ alpha: alpha * 1.02, beta }, { alpha, beta: beta * 0.98 }, { alpha: alpha * 0.98, beta: beta * 1.02 }]) {
      expect(sbgLogLikelihood(nearby, REGULAR)).toBeLessThan(fit.logLikelihood);
    }
  });

  it('recovers the parameters it simulated from (5,000 customers, 8 decisions: within 15 %)', () => {
    const truth = { alpha: 1.3, beta: 4.2 };
    const fit = fitSbg(simulateSbg(truth, { customers: 5000, periods: 8, seed: 7 }));
    expect(Math.abs((fit?.params.alpha ?? 0) / truth.alpha - 1)).toBeLessThan(0.15);
    expect(Math.abs((fit?.params.beta ?? 0) / truth.beta - 1)).toBeLessThan(0.15);
  });

  it('weights an observation by its count exactly as repeating it', () => {
    const params = { alpha: 0.9, beta: 2.5 };
    const repeated = Array.from({ length: 3 }, () => ({ renewals: 2, churned: true }));
    expect(sbgLogLikelihood(params, [{ renewals: 2, churned: true, count: 3 }])).toBeCloseTo(sbgLogLikelihood(params, repeated), 12);
  });

  it('has no fit until some customer has faced a renewal decision', () => {
    expect(fitSbg([])).toBeNull();
    expect(fitSbg([{ renewals: 0, churned: false, count: 40 }])).toBeNull();
    expect(fitSbg([{ renewals: 3, churned: true, count: 0 }])).toBeNull();
    expect(fitSbg([{ renewals: 0, churned: true }, { renewals: 1, churned: false }])).not.toBeNull();
  });

  it('refuses impossible renewal counts, naming the field', () => {
    expect(() => fitSbg([{ renewals: -1, churned: true }])).toThrow(/renewals/);
    expect(() => fitSbg([{ renewals: 1.5, churned: false }])).toThrow(/renewals/);
    expect(() => fitSbg([{ renewals: 1, churned: false, count: -2 }])).toThrow(/count/);
  });

  it('survival is the product of the period-by-period retention rates (β+t−1)/(α+β+t−1)', () => {
    const params = { alpha: 0.704, beta: 1.182 };
    let product = 1;
    for (let t = 1; t <= 12; t += 1) {
      product *= (params.beta + t - 1) / (params.alpha + params.beta + t - 1);
      expect(sbgSurvival(params, t)).toBeCloseTo(product, 12);
    }
    expect(sbgSurvival(params, 0)).toBe(1);
  });

  it('DERL equals the discounted sum of conditional survival it stands for', () => {
    const directSum = (params: { alpha: number; beta: number }, renewals: number, d: number): number => {
      let sum = 0;
      for (let t = renewals + 1; t < renewals + 3_000; t += 1) {
        sum += sbgSurvival(params, t) / sbgSurvival(params, renewals) / (1 + d) ** (t - renewals - 1);
      }
      return sum;
    };
    for (const params of [{ alpha: 0.704, beta: 1.182 }, { alpha: 0.668, beta: 3.806 }, { alpha: 3, beta: 0.5 }]) {
      for (const renewals of [0, 1, 4, 20]) {
        for (const d of [0.1, 0.02]) {
          expect(sbgDerl(params, renewals, d)).toBeCloseTo(directSum(params, renewals, d), 6);
        }
      }
    }
  });

  it('DERL stays exact for the degenerate fits of a portfolio without heterogeneity (the geometric limit)', () => {
    // α, β → ∞ at α/(α+β) = θ: every customer churns with probability θ, and DERL is the
    // geometric series (1−θ) Σ ((1−θ)/(1+d))^k.
    const geometric = 0.8 / (1 - 0.8 / 1.1);
    for (const scale of [1e4, 1e7, 1e10]) {
      expect(sbgDerl({ alpha: 0.2 * scale, beta: 0.8 * scale }, 3, 0.1)).toBeCloseTo(geometric, 2);
    }
    // Still heterogeneous at α+β = 100: the survivors of three renewals are the more loyal ones.
    expect(sbgDerl({ alpha: 20, beta: 80 }, 3, 0.1)).toBeGreaterThan(geometric);
    expect(sbgDerl({ alpha: 20, beta: 180 }, 0, 0.1)).toBeCloseTo(5.017, 3);
  });

  it('DERL grows with tenure (the survivors are the loyal ones) and falls with the discount rate', () => {
    const params = { alpha: 0.668, beta: 3.806 };
    expect(sbgDerl(params, 4, 0.1)).toBeGreaterThan(sbgDerl(params, 0, 0.1));
    expect(sbgDerl(params, 4, 0.2)).toBeLessThan(sbgDerl(params, 4, 0.1));
    expect(() => sbgDerl(params, 1, 0)).toThrow(/discountRate/);
    expect(() => sbgDerl(params, -1, 0.1)).toThrow(/renewals/);
  });
});
