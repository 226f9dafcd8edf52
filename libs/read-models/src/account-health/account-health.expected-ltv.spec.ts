import { bgnbdDiscountedExpectedPurchases, gammaGammaExpectedSpend, sbgDerl } from '@ahe/analytics';
import type { LtvModels } from '../ltv';
import { parseScoringRules, loadScoringRules, type ScoringRules } from '../scoring/scoring-rules.loader';
import { healthFactsOf, PUBLISHED_LTV_FIT, opened, type HistoryEvent } from './account-health.fixtures';
import { scoreAccountHealth } from './account-health.score';

const rules = loadScoringRules();
const AT = new Date('2024-07-01T12:00:00.000Z');
const CONTRACT = { startsOn: '2024-01-01', endsOn: '2024-12-31', annualValue: 365_000 };
const SMB_FIT = PUBLISHED_LTV_FIT.sbg[0]!;

const withLtv = (ltv: Partial<ScoringRules['ltv']>) => {
  const { scoringVersion: _version, source: _source, ...document } = rules;
  return parseScoringRules({ ...document, ltv: { ...rules.ltv, ...ltv } }, 'test');
};
const ltvOf = (events: readonly HistoryEvent[], models: LtvModels | null, scoring: ScoringRules = rules) => scoreAccountHealth(healthFactsOf('a1', events), scoring, AT, models).ltv;
const invoice = (occurredAt: string, invoiceId: string, amount: number): HistoryEvent => ({ type: 'InvoiceIssued', occurredAt, data: { invoiceId, amount, dueOn: '2024-12-31' } });

describe('expected LTV in the health score', () => {
  const contractual = [opened('2024-01-01T10:00:00.000Z', CONTRACT)];
  const renewed: HistoryEvent[] = [...contractual, { type: 'RenewalWon', occurredAt: '2024-06-15T10:00:00.000Z', data: { endsOn: '2025-06-30', annualValue: 365_000 } }];

  it('values a contractual account by the rest of its term plus its annual value times the DERL of its segment’s sBG fit', () => {
    const contractOnly = ltvOf(contractual, null);
    expect(contractOnly).toEqual({ realized: 0, expected: 184_000, total: 184_000, currency: 'EUR', model: 'contract' });
    const fitted = ltvOf(contractual, PUBLISHED_LTV_FIT);
    expect(fitted.model).toBe('sbg');
    expect(Math.abs(fitted.expected - contractOnly.expected - 365_000 * sbgDerl(SMB_FIT, 0, rules.ltv.discountRate))).toBeLessThanOrEqual(1);
    expect(fitted.total).toBe(fitted.realized + fitted.expected);
    // Survivors of a renewal are the more loyal ones: the sBG expects more renewals from them.
    const afterRenewal = ltvOf(renewed, PUBLISHED_LTV_FIT);
    const derlPart = afterRenewal.expected - ltvOf(renewed, null).expected;
    expect(Math.abs(derlPart - 365_000 * sbgDerl(SMB_FIT, 1, rules.ltv.discountRate))).toBeLessThanOrEqual(1);
    expect(derlPart).toBeGreaterThan(fitted.expected - contractOnly.expected);
    // A higher discount rate is worth less today.
    expect(ltvOf(contractual, PUBLISHED_LTV_FIT, withLtv({ discountRate: 0.3 })).expected).toBeLessThan(fitted.expected);
  });

  it('falls back to the rest of the contract after a lost renewal or without a fit for the segment, and to nothing once closed', () => {
    const lost: HistoryEvent[] = [...contractual, { type: 'RenewalLost', occurredAt: '2024-06-01T10:00:00.000Z', data: { reason: 'price' } }];
    expect(ltvOf(lost, PUBLISHED_LTV_FIT)).toMatchObject({ expected: 184_000, model: 'contract' });
    const otherSegment = { ...PUBLISHED_LTV_FIT, sbg: [{ ...SMB_FIT, segment: 'enterprise' }] };
    expect(ltvOf(contractual, otherSegment)).toMatchObject({ expected: 184_000, model: 'contract' });
    const closed: HistoryEvent[] = [...contractual, { type: 'AccountClosed', occurredAt: '2024-06-01T10:00:00.000Z', data: { reason: 'gone' } }];
    expect(ltvOf(closed, PUBLISHED_LTV_FIT)).toMatchObject({ expected: 0, total: 0, model: 'none' });
  });

  it('values a non-contractual account by its discounted expected purchases times its expected spend, from its invoice days', () => {
    const buyer: HistoryEvent[] = [
      opened('2024-01-01T10:00:00.000Z'),
      invoice('2024-01-08T09:00:00.000Z', 'i1', 5_000),
      // Two invoices on one UTC day are one purchase of 3 000 + 4 000.
      invoice('2024-02-05T09:00:00.000Z', 'i2', 3_000),
      invoice('2024-02-05T17:00:00.000Z', 'i3', 4_000),
      invoice('2024-03-04T09:00:00.000Z', 'i4', 6_000),
      { type: 'InvoicePaid', occurredAt: '2024-03-05T09:00:00.000Z', data: { invoiceId: 'i1', amount: 5_000 } },
    ];
    // First purchase on Jan 8 (not a repeat); repeats 4 and 8 weeks later; AT's day is 25 weeks after it.
    const observation = { x: 2, tx: 8, T: 25 };
    const spend = gammaGammaExpectedSpend(PUBLISHED_LTV_FIT.gammaGamma!, { x: 2, meanValue: (7_000 + 6_000) / 2 / 100 });
    const purchases = bgnbdDiscountedExpectedPurchases(PUBLISHED_LTV_FIT.bgnbd!, observation, rules.ltv.horizonWeeks, rules.ltv.discountRate);
    const ltv = ltvOf(buyer, PUBLISHED_LTV_FIT);
    expect(ltv).toEqual({ realized: 5_000, expected: Math.round(purchases * spend * 100), total: 5_000 + ltv.expected, currency: 'EUR', model: 'bgnbd-gamma-gamma' });
    expect(ltv.expected).toBeGreaterThan(0);
    expect(ltvOf(buyer, PUBLISHED_LTV_FIT, withLtv({ horizonWeeks: 52 })).expected).toBeLessThan(ltv.expected);
    expect(ltvOf(buyer, { ...PUBLISHED_LTV_FIT, gammaGamma: null })).toMatchObject({ expected: 0, model: 'none' });
    expect(ltvOf(buyer, null)).toMatchObject({ expected: 0, model: 'none' });
    expect(ltvOf([opened('2024-01-01T10:00:00.000Z')], PUBLISHED_LTV_FIT)).toMatchObject({ expected: 0, model: 'none' });
  });

  it('leaves the churn risk alone and records the fit it used, none for a closed account', () => {
    const facts = healthFactsOf('a1', renewed);
    const { ltv: withFit, ltvFit, ...scored } = scoreAccountHealth(facts, rules, AT, PUBLISHED_LTV_FIT);
    const { ltv: without, ltvFit: noFit, ...unfitted } = scoreAccountHealth(facts, rules, AT);
    expect(scored).toEqual(unfitted);
    expect([ltvFit, noFit]).toEqual([PUBLISHED_LTV_FIT.fitId, null]);
    expect(withFit.expected).toBeGreaterThan(without.expected);
    const closed = healthFactsOf('a1', [...renewed, { type: 'AccountClosed', occurredAt: '2024-06-20T10:00:00.000Z', data: { reason: 'gone' } }]);
    expect(scoreAccountHealth(closed, rules, AT, PUBLISHED_LTV_FIT).ltvFit).toBeNull();
  });
});
