import { bgnbdLogLikelihood, fitBgNbd } from './bgnbd';
import betaln from '@stdlib/math-base-special-betaln';
import gammaln from '@stdlib/math-base-special-gammaln';
import type { BgNbdObservation, BgNbdParams } from './model.types';
import { simulateBgNbd } from './testing/simulate-bgnbd';

const relativeError = (fitted: number, truth: number): number => Math.abs(fitted / truth - 1);

describe('BG/NBD fit', () => {
  const truth = { r: 0.5, alpha: 6, a: 0.7, b: 3 };
  const data = simulateBgNbd(truth, { customers: 6_000, minT: 52, maxT: 104, seed: 11 }).map((customer) => customer.observation);
  const fit = fitBgNbd(data);

  // The purchase process (r, α) is pinned down tightly; a and b are known mostly through their
  // ratio (the mean dropout probability a/(a+b)), and individually within a wider band.
  it('recovers the parameters it simulated from (6,000 customers over 52–104 weeks)', () => {
    if (!fit) throw new Error('expected a fit');
    const { r, alpha, a, b } = fit.params;
    expect(relativeError(r, truth.r)).toBeLessThan(0.1);
    expect(relativeError(alpha, truth.alpha)).toBeLessThan(0.1);
    expect(relativeError(a / (a + b), truth.a / (truth.a + truth.b))).toBeLessThan(0.1);
    expect(relativeError(a, truth.a)).toBeLessThan(0.25);
    expect(relativeError(b, truth.b)).toBeLessThan(0.25);
    expect(fit.n).toBe(6_000);
    expect(fit.converged).toBe(true);
  });

  it('finds a likelihood at least as high as the truth and reports it', () => {
    if (!fit) throw new Error('expected a fit');
    expect(bgnbdLogLikelihood(fit.params, data)).toBeCloseTo(fit.logLikelihood, 6);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgnbdLogLikelihood(truth, data));
  });

  it('matches the published CDNOW log-likelihood shape: a lone first purchase contributes r·ln(α/(α+T))', () => {
    const cdnow = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    expect(bgnbdLogLikelihood(cdnow, [{ x: 0, tx: 0, T: 38.86 }])).toBeCloseTo(cdnow.r * Math.log(cdnow.alpha / (cdnow.alpha + 38.86)), 12);
  });

  it('weights an observation by its count exactly as repeating it', () => {
    const once = { x: 3, tx: 20.5, T: 40 };
    expect(bgnbdLogLikelihood(truth, [{ ...once, count: 4 }])).toBeCloseTo(4 * bgnbdLogLikelihood(truth, [once]), 10);
  });

  // FHL 2005 eq. 6 customer by customer, as written before the likelihood grouped its terms by
  // distinct values: the grouped form must give the same sum to the last bit, so fits stay
  // reproducible across the change.
  const customerByCustomer = ({ r, alpha, a, b }: BgNbdParams, observations: readonly BgNbdObservation[]): number => {
    let sum = 0;
    for (const { x, tx, T, count } of observations) {
      const weight = count ?? 1;
      if (weight === 0) continue;
      const rate = gammaln(r + x) - gammaln(r) + r * Math.log(alpha);
      const aliveAtT = betaln(a, b + x) - betaln(a, b) - (r + x) * Math.log(alpha + T);
      if (x === 0) {
        sum += weight * (rate + aliveAtT);
        continue;
      }
      const droppedAfterTx = betaln(a + 1, b + x - 1) - betaln(a, b) - (r + x) * Math.log(alpha + tx);
      const larger = Math.max(aliveAtT, droppedAfterTx);
      sum += weight * (rate + larger + Math.log(Math.exp(aliveAtT - larger) + Math.exp(droppedAfterTx - larger)));
    }
    return sum;
  };

  it('sums exactly what the customer-by-customer formula sums, with repeated values, zero weights and x = 0', () => {
    const observations = [...data.slice(0, 500), { x: 0, tx: 0, T: 60 }, { x: 4, tx: 30, T: 60, count: 0 }, { x: 2, tx: 10, T: 60, count: 7 }, ...data.slice(0, 50)];
    for (const params of [truth, { r: 0.18, alpha: 1.4, a: 1.6e7, b: 1.2e7 }, { r: 2, alpha: 40, a: 0.1, b: 0.2 }]) {
      expect(bgnbdLogLikelihood(params, observations)).toBe(customerByCustomer(params, observations));
    }
  });

  it('has no fit without a repeat purchase', () => {
    expect(fitBgNbd([])).toBeNull();
    expect(fitBgNbd([{ x: 0, tx: 0, T: 30, count: 50 }])).toBeNull();
    expect(fitBgNbd([{ x: 2, tx: 3, T: 30, count: 0 }])).toBeNull();
  });

  it('refuses impossible histories, naming the field', () => {
    expect(() => fitBgNbd([{ x: -1, tx: 0, T: 10 }])).toThrow(/x must/);
    expect(() => fitBgNbd([{ x: 1, tx: 12, T: 10 }])).toThrow(/tx must/);
    expect(() => fitBgNbd([{ x: 1, tx: 2, T: Number.NaN }])).toThrow(/T must/);
    expect(() => bgnbdLogLikelihood(truth, [{ x: 1, tx: 2, T: 10, count: 0.5 }])).toThrow(/count/);
  });
});
