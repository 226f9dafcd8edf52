import { bgnbdConditionalExpectedPurchases, bgnbdDiscountedExpectedPurchases, bgnbdProbabilityAlive, gaussLegendre } from './bgnbd-expectations';
import { simulateBgNbd } from './testing/simulate-bgnbd';

const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
const standardError = (values: readonly number[]): number => {
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1) / values.length);
};

describe('BG/NBD expectations', () => {
  it('reproduces the published CDNOW figure: E[Y(39) | x=2, tx=30.43, T=38.86] = 1.226', () => {
    expect(bgnbdConditionalExpectedPurchases(CDNOW, { x: 2, tx: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
  });

  // Given the true parameters, E[Y(t) | x, tx, T] and P(alive | x, tx, T) are conditional
  // expectations, so their mean over customers equals the mean of what actually happened,
  // up to Monte-Carlo error (asserted within four standard errors).
  describe('against a simulation from the same parameters', () => {
    const truth = { r: 0.8, alpha: 5, a: 1.6, b: 4 };
    const customers = simulateBgNbd(truth, { customers: 20_000, minT: 20, maxT: 60, futureWeeks: 52, seed: 3 });

    it('expected purchases in the next 52 weeks', () => {
      const errors = customers.map((c) => c.futurePurchases - bgnbdConditionalExpectedPurchases(truth, c.observation, 52));
      expect(Math.abs(mean(errors))).toBeLessThan(4 * standardError(errors));
    });

    it('probability of being alive at T', () => {
      const errors = customers.map((c) => (c.aliveAtT ? 1 : 0) - bgnbdProbabilityAlive(truth, c.observation));
      expect(Math.abs(mean(errors))).toBeLessThan(4 * standardError(errors));
    });
  });

  it('a customer without a repeat purchase cannot have dropped out; a long silence makes dropout likely', () => {
    expect(bgnbdProbabilityAlive(CDNOW, { x: 0, tx: 0, T: 30 })).toBe(1);
    expect(bgnbdProbabilityAlive(CDNOW, { x: 5, tx: 5, T: 60 })).toBeLessThan(bgnbdProbabilityAlive(CDNOW, { x: 5, tx: 58, T: 60 }));
  });

  it('is continuous through a = 1, where eq. 10 divides by a − 1', () => {
    const observation = { x: 3, tx: 20, T: 30 };
    const at = (a: number) => bgnbdConditionalExpectedPurchases({ ...CDNOW, a }, observation, 52);
    expect(at(1)).toBeCloseTo((at(0.999) + at(1.001)) / 2, 5);
    expect(Number.isFinite(at(1))).toBe(true);
  });

  it('discounts week by week: undiscounted it is E[Y(horizon)], and a higher rate lowers it', () => {
    const observation = { x: 2, tx: 30.43, T: 38.86 };
    expect(bgnbdDiscountedExpectedPurchases(CDNOW, observation, 104, 0)).toBeCloseTo(bgnbdConditionalExpectedPurchases(CDNOW, observation, 104), 10);
    const at10 = bgnbdDiscountedExpectedPurchases(CDNOW, observation, 104, 0.1);
    expect(at10).toBeLessThan(bgnbdDiscountedExpectedPurchases(CDNOW, observation, 104, 0));
    expect(at10).toBeGreaterThan(bgnbdDiscountedExpectedPurchases(CDNOW, observation, 104, 0.3));
    expect(bgnbdDiscountedExpectedPurchases(CDNOW, observation, 0, 0.1)).toBe(0);
  });

  it('discounts each purchase continuously at the rate equivalent to the annual one', () => {
    // A customer certain to be alive with a near-deterministic rate buys one a week, evenly: the
    // discounted count over a year is ∫₀⁵² e^(−ρt) dt with ρ = ln 1.1 per year.
    const steady = { r: 1e4, alpha: 1e4, a: 1e-6, b: 1e6 };
    const observation = { x: 0, tx: 0, T: 0 };
    const rho = Math.log(1.1) / (365.25 / 7);
    const exact = (weeks: number) => (1 - Math.exp(-rho * weeks)) / rho;
    expect(bgnbdDiscountedExpectedPurchases(steady, observation, 52, 0.1)).toBeCloseTo(exact(52), 3);
    expect(bgnbdDiscountedExpectedPurchases(steady, observation, 156, 0.1)).toBeCloseTo(exact(156), 3);
  });

  it('agrees with week-by-week discounting of the increments of E[Y(t)] to within a half week of discount', () => {
    const observation = { x: 3, tx: 20, T: 40 };
    let weekly = 0;
    for (let week = 1; week <= 156; week += 1) {
      const increment = bgnbdConditionalExpectedPurchases(CDNOW, observation, week) - bgnbdConditionalExpectedPurchases(CDNOW, observation, week - 1);
      weekly += increment * 1.1 ** (-(week - 0.5) / (365.25 / 7));
    }
    expect(bgnbdDiscountedExpectedPurchases(CDNOW, observation, 156, 0.1)).toBeCloseTo(weekly, 3);
  });

  it('gives exactly eq. 10 discounted by quadrature, whether its alive purchases were computed for this customer or kept from another with the same x and T', () => {
    // The formula as it read before the cache: each E[Y(t)] through bgnbdConditionalExpectedPurchases.
    const { nodes: points, weights } = gaussLegendre(16);
    const nodes = points.map((node, index) => ({ node, weight: weights[index]! }));
    const reference = (params: typeof CDNOW, observation: { x: number; tx: number; T: number }, horizon: number, rate: number) => {
      const rho = Math.log(1 + rate) / (365.25 / 7);
      const half = horizon / 2;
      let integral = 0;
      if (rho !== 0) nodes.forEach(({ node, weight }) => (integral += weight * Math.exp(-rho * half * (node + 1)) * bgnbdConditionalExpectedPurchases(params, observation, half * (node + 1))));
      return Math.exp(-rho * horizon) * bgnbdConditionalExpectedPurchases(params, observation, horizon) + rho * half * integral;
    };
    const fits = [CDNOW, { r: 0.8, alpha: 5, a: 1.6, b: 4 }, { r: 1.3, alpha: 9.5, a: 0.02, b: 3e7 }];
    for (const fit of fits) {
      for (const rate of [0, 0.1]) {
        for (const x of [0, 1, 4, 11]) {
          for (const days of [x * 7, x * 7 + 30, 400]) {
            const T = days / 7;
            // Two customers with the same x and T and different last purchases: the second is served from the first's values.
            for (const tx of [0, T / 2, T].filter((value) => x > 0 || value === 0)) {
              const observation = { x, tx, T };
              expect(bgnbdDiscountedExpectedPurchases({ ...fit }, observation, 104, rate)).toBe(reference(fit, observation, 104, rate));
            }
          }
        }
      }
    }
  });

  it('refuses bad arguments, naming them', () => {
    const observation = { x: 1, tx: 2, T: 10 };
    expect(() => bgnbdConditionalExpectedPurchases(CDNOW, observation, -1)).toThrow(/t must/);
    expect(() => bgnbdDiscountedExpectedPurchases(CDNOW, observation, 1.5, 0.1)).toThrow(/horizonWeeks/);
    expect(() => bgnbdDiscountedExpectedPurchases(CDNOW, observation, 10, -1)).toThrow(/annualDiscountRate/);
    expect(() => bgnbdProbabilityAlive(CDNOW, { x: 1, tx: 11, T: 10 })).toThrow(/tx must/);
    expect(() => bgnbdDiscountedExpectedPurchases(CDNOW, { x: 1, tx: 11, T: 10 }, 10, 0.1)).toThrow(/tx must/);
    expect(() => bgnbdDiscountedExpectedPurchases({ ...CDNOW, a: -1 }, observation, 10, 0.1)).toThrow(/BG\/NBD parameters/);
  });
});
