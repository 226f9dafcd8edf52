import { bgnbdDiscountedExpectedPurchases, gammaGammaExpectedSpend, sbgDerl } from '@ahe/analytics';
import { expectedLtv } from './expected-ltv';
import { closed, foldLtv, invoice, openedWithContract, openedWithoutContract, renewalLost, renewalWon } from './ltv.fixtures';
import type { LtvModels } from './ltv.types';

const SETTINGS = { discountRate: 0.1, horizonWeeks: 156 };
const sbg = { segment: 'smb', alpha: 0.704, beta: 1.182, n: 1000, logLikelihood: -1680.3 };
const bgnbd = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, n: 2357, logLikelihood: -9582.4 };
const gammaGamma = { p: 6.25, q: 3.74, v: 15.44, n: 946, logLikelihood: -4000 };
const MODELS: LtvModels = { asOf: '2024-12-01T00:00:00.000Z', axis: 'recorded', position: 9, fitId: '9@2024-12-01T00:00:00.000Z', sbg: [sbg], bgnbd, gammaGamma };

describe('expectedLtv', () => {
  // 1000 a day: the remaining term is easy to read off.
  const contractual = [openedWithContract('2024-01-01T09:00:00.000Z', 'smb', { startsOn: '2024-01-01', endsOn: '2024-12-31', annualValue: 365_000 })];
  const AT = new Date('2024-12-22T15:00:00.000Z');

  it('values a contract by what is left of its term, both ends counted, when no sBG fit covers its segment', () => {
    expect(expectedLtv(foldLtv(contractual), null, AT, SETTINGS)).toEqual({ expected: 10_000, model: 'contract' });
    expect(expectedLtv(foldLtv(contractual), { ...MODELS, sbg: [{ ...sbg, segment: 'enterprise' }] }, AT, SETTINGS)).toEqual({ expected: 10_000, model: 'contract' });
    expect(expectedLtv(foldLtv(contractual), null, new Date('2025-01-01T00:00:00.000Z'), SETTINGS)).toEqual({ expected: 0, model: 'contract' });
  });

  it('adds the discounted expected renewals (DERL × annual value) under the segment’s sBG fit', () => {
    const once = expectedLtv(foldLtv(contractual), MODELS, AT, SETTINGS);
    expect(once).toEqual({ expected: Math.round(10_000 + 365_000 * sbgDerl(sbg, 0, 0.1)), model: 'sbg' });
    const renewed = foldLtv([...contractual, renewalWon('2024-12-01T09:00:00.000Z', '2025-12-31', 365_000), renewalWon('2025-12-01T09:00:00.000Z', '2026-12-31', 365_000)]);
    const later = expectedLtv(renewed, MODELS, new Date('2026-12-22T15:00:00.000Z'), SETTINGS);
    expect(later).toEqual({ expected: Math.round(10_000 + 365_000 * sbgDerl(sbg, 2, 0.1)), model: 'sbg' });
    // Heterogeneity: customers who have renewed more are the ones less likely to leave.
    expect(later.expected).toBeGreaterThan(once.expected);
  });

  it('counts only the remaining term once the renewal is lost, and nothing once closed', () => {
    expect(expectedLtv(foldLtv([...contractual, renewalLost('2024-12-01T09:00:00.000Z')]), MODELS, AT, SETTINGS)).toEqual({ expected: 10_000, model: 'contract' });
    expect(expectedLtv(foldLtv([...contractual, closed('2024-12-20T09:00:00.000Z')]), MODELS, AT, SETTINGS)).toEqual({ expected: 0, model: 'none' });
  });

  it('never yields a value that is not a number, whatever the fit: it falls back to what is known', () => {
    // What the optimizer leaves on its wall for three customers: eq. 10 overflows there.
    const runaway = { r: 2.3e5, alpha: 1.3e7, a: 1259, b: 1.5e-11, n: 3, logLikelihood: -20 };
    const history = foldLtv([
      openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb'),
      invoice('2024-02-01T09:00:00.000Z', 100_00),
      invoice('2024-05-01T09:00:00.000Z', 120_00),
    ]);
    const value = expectedLtv(history, { ...MODELS, bgnbd: runaway }, AT, SETTINGS);
    expect(Number.isFinite(value.expected)).toBe(true);
    const homogeneous = { ...sbg, alpha: 2e9, beta: 8e9 };
    const contract = expectedLtv(foldLtv(contractual), { ...MODELS, sbg: [homogeneous] }, AT, SETTINGS);
    expect(contract).toEqual({ expected: Math.round(10_000 + 365_000 * (0.8 / (1 - 0.8 / 1.1))), model: 'sbg' });
  });

  it('values a contract by its remaining term when the segment’s sBG fit cannot be used, saying why', () => {
    const value = expectedLtv(foldLtv(contractual), { ...MODELS, sbg: [{ ...sbg, beta: Infinity }] }, AT, SETTINGS);
    expect(value).toEqual({ expected: 10_000, model: 'contract', fallbackReason: expect.stringMatching(/beta must be positive and finite/) });
  });

  describe('without a contract', () => {
    const purchases = [
      openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb'),
      invoice('2024-01-01T10:00:00.000Z', 4_000),
      invoice('2024-02-05T10:00:00.000Z', 2_500),
      invoice('2024-03-04T10:00:00.000Z', 3_500),
    ];
    const AT_PURCHASES = new Date('2024-04-01T12:00:00.000Z');

    it('multiplies discounted expected purchases by expected spend, back in minor units', () => {
      const observation = { x: 2, tx: 9, T: 13 };
      const perPurchase = gammaGammaExpectedSpend(gammaGamma, { x: 2, meanValue: 30 });
      const expected = Math.round(bgnbdDiscountedExpectedPurchases(bgnbd, observation, 156, 0.1) * perPurchase * 100);
      expect(expectedLtv(foldLtv(purchases), MODELS, AT_PURCHASES, SETTINGS)).toEqual({ expected, model: 'bgnbd-gamma-gamma' });
      expect(expected).toBeGreaterThan(0);
      const shorter = expectedLtv(foldLtv(purchases), MODELS, AT_PURCHASES, { ...SETTINGS, horizonWeeks: 52 });
      expect(shorter.expected).toBeLessThan(expected);
    });

    it('uses the population’s mean spend before a repeat purchase, and the currency’s minor unit', () => {
      const yen = foldLtv([openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb', 'JPY'), invoice('2024-03-04T10:00:00.000Z', 3_500)]);
      const expected = Math.round(bgnbdDiscountedExpectedPurchases(bgnbd, { x: 0, tx: 0, T: 4 }, 156, 0.1) * gammaGammaExpectedSpend(gammaGamma, null));
      expect(expectedLtv(yen, MODELS, AT_PURCHASES, SETTINGS)).toEqual({ expected, model: 'bgnbd-gamma-gamma' });
    });

    it('has no value without invoices, without both fits, once closed, or when spend has no mean (q ≤ 1)', () => {
      const none = { expected: 0, model: 'none' };
      expect(expectedLtv(foldLtv(purchases.slice(0, 1)), MODELS, AT_PURCHASES, SETTINGS)).toEqual(none);
      expect(expectedLtv(foldLtv(purchases), null, AT_PURCHASES, SETTINGS)).toEqual(none);
      expect(expectedLtv(foldLtv(purchases), { ...MODELS, gammaGamma: null }, AT_PURCHASES, SETTINGS)).toEqual(none);
      expect(expectedLtv(foldLtv(purchases), { ...MODELS, bgnbd: null }, AT_PURCHASES, SETTINGS)).toEqual(none);
      expect(expectedLtv(foldLtv([...purchases, closed('2024-03-20T09:00:00.000Z')]), MODELS, AT_PURCHASES, SETTINGS)).toEqual(none);
      expect(expectedLtv(foldLtv(purchases), { ...MODELS, gammaGamma: { ...gammaGamma, q: 0.9 } }, AT_PURCHASES, SETTINGS)).toEqual({
        ...none,
        fallbackReason: expect.stringMatching(/no mean unless q > 1/),
      });
    });

    it('is never negative: a stored fit whose value cannot be computed falls back with the reason', () => {
      const broken = expectedLtv(foldLtv(purchases), { ...MODELS, bgnbd: { ...bgnbd, alpha: NaN } }, AT_PURCHASES, SETTINGS);
      expect(broken).toEqual({ expected: 0, model: 'none', fallbackReason: expect.stringMatching(/alpha must be positive and finite/) });
      // The no-dropout fit of the demo's first minutes: eq. 10's closed form gave a negative count.
      const noDropout = { r: 6.554, alpha: 94.3, a: 3.534e-5, b: 1.598e10, n: 6, logLikelihood: -104.5 };
      expect(expectedLtv(foldLtv(purchases), { ...MODELS, bgnbd: noDropout }, AT_PURCHASES, SETTINGS).expected).toBeGreaterThan(0);
    });
  });
});
