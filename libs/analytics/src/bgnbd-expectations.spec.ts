import { bgnbdConditionalExpectedPurchases, bgnbdDiscountedExpectedPurchases, bgnbdProbabilityAlive } from './bgnbd-expectations';
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

  it('refuses bad arguments, naming them', () => {
    const observation = { x: 1, tx: 2, T: 10 };
    expect(() => bgnbdConditionalExpectedPurchases(CDNOW, observation, -1)).toThrow(/t must/);
    expect(() => bgnbdDiscountedExpectedPurchases(CDNOW, observation, 1.5, 0.1)).toThrow(/horizonWeeks/);
    expect(() => bgnbdDiscountedExpectedPurchases(CDNOW, observation, 10, -1)).toThrow(/annualDiscountRate/);
    expect(() => bgnbdProbabilityAlive(CDNOW, { x: 1, tx: 11, T: 10 })).toThrow(/tx must/);
  });
});
