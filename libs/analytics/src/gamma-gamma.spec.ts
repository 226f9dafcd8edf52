import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood } from './gamma-gamma';
import { simulateGammaGamma } from './testing/simulate-gamma-gamma';

const relativeError = (fitted: number, truth: number): number => Math.abs(fitted / truth - 1);

describe('Gamma-Gamma', () => {
  const truth = { p: 6, q: 4, v: 15 };
  const data = simulateGammaGamma(truth, { customers: 5000, meanRepeatPurchases: 4, seed: 5 });
  const fit = fitGammaGamma(data);

  it('recovers the parameters it simulated from (5,000 customers, 4 purchases on average: within 12 %)', () => {
    if (!fit) throw new Error('expected a fit');
    expect(relativeError(fit.params.p, truth.p)).toBeLessThan(0.12);
    expect(relativeError(fit.params.q, truth.q)).toBeLessThan(0.12);
    expect(relativeError(fit.params.v, truth.v)).toBeLessThan(0.12);
    expect(fit.n).toBe(5000);
    expect(fit.converged).toBe(true);
  });

  it('finds a likelihood at least as high as the truth and reports it', () => {
    if (!fit) throw new Error('expected a fit');
    expect(gammaGammaLogLikelihood(fit.params, data)).toBeCloseTo(fit.logLikelihood, 6);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(truth, data));
  });

  it('a single purchase has the density of a Gamma(p, ν) value with ν ~ Gamma(q, v) integrated out', () => {
    // x = 1: the marginal is a beta-prime density, Γ(p+q)/(Γ(p)Γ(q)) · v^q · z^(p−1) / (v+z)^(p+q).
    const { p, q, v } = { p: 2, q: 3, v: 10 };
    const z = 7;
    const gammaRatio = 24 / (1 * 2); // Γ(5) / (Γ(2) Γ(3))
    const betaPrime = (gammaRatio * v ** q * z ** (p - 1)) / (v + z) ** (p + q);
    expect(Math.exp(gammaGammaLogLikelihood({ p, q, v }, [{ x: 1, meanValue: z }]))).toBeCloseTo(betaPrime, 12);
  });

  it('expected spend shrinks a customer’s own mean towards the population’s, the more so the fewer purchases', () => {
    const params = { p: 6, q: 4, v: 15 };
    const population = gammaGammaExpectedSpend(params, null);
    expect(population).toBeCloseTo((6 * 15) / 3, 12);
    const few = gammaGammaExpectedSpend(params, { x: 1, meanValue: 100 });
    const many = gammaGammaExpectedSpend(params, { x: 50, meanValue: 100 });
    expect(few).toBeCloseTo((6 * (15 + 100)) / (6 + 3), 12);
    expect(population).toBeLessThan(few);
    expect(few).toBeLessThan(many);
    expect(many).toBeLessThan(100);
  });

  it('has no expected spend without a finite mean (q ≤ 1)', () => {
    expect(() => gammaGammaExpectedSpend({ p: 1, q: 0.8, v: 2 }, null)).toThrow(/q > 1/);
  });

  it('has no fit without a repeat purchase, and refuses impossible observations naming the field', () => {
    expect(fitGammaGamma([])).toBeNull();
    expect(fitGammaGamma([{ x: 2, meanValue: 10, count: 0 }])).toBeNull();
    expect(() => fitGammaGamma([{ x: 0, meanValue: 10 }])).toThrow(/x must/);
    expect(() => fitGammaGamma([{ x: 2, meanValue: 0 }])).toThrow(/meanValue/);
    expect(() => fitGammaGamma([{ x: 2, meanValue: 10, count: -1 }])).toThrow(/count/);
  });
});
