import betaln from '@stdlib/math-base-special-betaln';
import { bgnbdPurchasesWhileAlive } from './bgnbd-alive-purchases';
import { bgnbdConditionalExpectedPurchases, bgnbdDiscountedExpectedPurchases, bgnbdProbabilityAlive } from './bgnbd-expectations';
import { seededRandom } from './testing/seeded-random';
import { UnreliableEstimateError } from './unreliable-estimate.error';

/** E_p[(1 − (1 + p·s)^−n)/p] for p ~ Beta(a, b'), by Simpson's rule on the density: an independent check. */
function byIntegrationOverDropout(a: number, bPosterior: number, n: number, s: number): number {
  const steps = 20_000;
  const logBeta = betaln(a, bPosterior);
  const integrand = (p: number) => (p === 0 ? n * s : (1 - (1 + p * s) ** -n) / p) * Math.exp((a - 1) * Math.log(p) + (bPosterior - 1) * Math.log1p(-p) - logBeta);
  let sum = 0;
  for (let i = 0; i <= steps; i += 1) sum += (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2) * integrand(i / steps);
  return sum / (3 * steps);
}

describe('BG/NBD purchases while alive', () => {
  it('values the demo’s first fit (six customers, no dropout seen) at the no-dropout limit, where eq. 10 gave −3,688', () => {
    // The fit the ltv_models projection made on the first 1,969 demo events: a/(a + b) ≈ 2·10⁻¹⁵,
    // so nobody drops out and the expectation is the NBD's (r + x)·t/(α + T).
    const demo = { r: 6.554192258934466, alpha: 94.29995172659292, a: 0.00003534294127505259, b: 15981861169.197887 };
    const observation = { x: 7, tx: 28.714285714285715, T: 31.857142857142858 };
    expect(bgnbdProbabilityAlive(demo, observation)).toBeCloseTo(1, 12);
    const noDropout = ((demo.r + 7) * 52) / (demo.alpha + observation.T);
    expect(bgnbdConditionalExpectedPurchases(demo, observation, 52)).toBeCloseTo(noDropout, 6);
    expect(bgnbdDiscountedExpectedPurchases(demo, observation, 156, 0.1)).toBeGreaterThan(0);
  });

  it.each([
    { a: 2, b: 5, r: 0.8, alpha: 5, x: 3, T: 30, t: 52 },
    { a: 3, b: 40, r: 3, alpha: 60, x: 10, T: 100, t: 156 },
    { a: 5, b: 2, r: 0.24, alpha: 4.4, x: 0, T: 20, t: 104 },
  ])('agrees with integrating over the dropout probability (%o)', ({ a, b, r, alpha, x, T, t }) => {
    const expected = byIntegrationOverDropout(a, b + x, r + x, t / (alpha + T));
    expect(bgnbdPurchasesWhileAlive({ r, alpha, a, b }, x, T, t) / expected).toBeCloseTo(1, 6);
  });

  it('is finite, ≥ 0 and at most the no-dropout count for random parameters and histories, or refuses with a reason', () => {
    const random = seededRandom(7);
    // Parameters across the optimizer's box (e^±25, less the half-unit a fit is refused in).
    const logUniform = () => Math.exp(-10 + 32 * random.uniform());
    let refused = 0;
    for (let i = 0; i < 300; i += 1) {
      const params = { r: logUniform(), alpha: logUniform(), a: logUniform(), b: logUniform() };
      const x = random.uniform() < 0.2 ? 0 : Math.floor(60 * random.uniform());
      const T = 300 * random.uniform();
      const observation = { x, tx: x === 0 ? 0 : T * random.uniform(), T };
      const noDropout = ((params.r + x) * 156) / (params.alpha + T);
      try {
        const discounted = bgnbdDiscountedExpectedPurchases(params, observation, 156, 0.1);
        const undiscounted = bgnbdConditionalExpectedPurchases(params, observation, 156);
        expect(discounted).toBeGreaterThanOrEqual(0);
        expect(discounted).toBeLessThanOrEqual(undiscounted * (1 + 1e-9));
        expect(undiscounted).toBeLessThanOrEqual(noDropout * (1 + 1e-9));
      } catch (error) {
        if (!(error instanceof UnreliableEstimateError)) throw error;
        // Only for customers expected to buy more than 10,000 times in three years.
        expect(noDropout).toBeGreaterThan(1e4);
        refused += 1;
      }
    }
    expect(refused).toBeLessThan(150);
  });

  it('refuses, naming the numbers, what neither the series nor the closed form can compute', () => {
    const absurd = { r: 2e9, alpha: 1e4, a: 0.5, b: 3e5 };
    expect(() => bgnbdPurchasesWhileAlive(absurd, 14, 70, 156)).toThrow(UnreliableEstimateError);
    expect(() => bgnbdPurchasesWhileAlive(absurd, 14, 70, 156)).toThrow(/r=2000000000, alpha=10000, a=0\.5, b=300000/);
  });

  it('refuses parameters that are not positive and finite', () => {
    expect(() => bgnbdConditionalExpectedPurchases({ r: 1, alpha: NaN, a: 1, b: 1 }, { x: 1, tx: 1, T: 2 }, 10)).toThrow(/alpha must be positive and finite/);
    expect(() => bgnbdProbabilityAlive({ r: 1, alpha: 1, a: -1, b: 1 }, { x: 1, tx: 1, T: 2 })).toThrow(/a must be positive/);
  });
});
