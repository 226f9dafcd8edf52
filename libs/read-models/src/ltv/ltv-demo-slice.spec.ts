import { generatePortfolio } from '@ahe/demo';
import type { FoldableEvent } from '@ahe/domain';
import { expectedLtv } from './expected-ltv';
import { fitLtvModels } from './ltv-fit';
import { evolveLtvHistory, initialLtvHistory } from './ltv-history';
import { ltvModelRows, ltvModelsOf } from './ltv-models.rows';
import { observeLtv } from './ltv-observation';
import type { ExpectedLtv, LtvHistory, LtvModels } from './ltv.types';

// What a fresh DEMO=1 server shows for five minutes: its first LTV fit runs when the projection
// has read a small part of the log (~1,969 of ~13,600 events), and the next waits for
// LTV_REFIT_INTERVAL_MS. The demo portfolio is deterministic; the day is fixed here.
const DEMO = { accounts: 200, years: 3, seed: 42, endsAt: '2026-11-29T00:00:00.000Z' };
const AT = new Date('2026-11-29T17:00:00.000Z');
const SETTINGS = { discountRate: 0.1, horizonWeeks: 156 };

describe('expected LTV on early slices of the demo log', () => {
  const lines = [...generatePortfolio(DEMO)];

  function fitSlice(events: number): { readonly models: LtvModels; readonly values: ReadonlyMap<string, ExpectedLtv> } {
    const histories = new Map<string, LtvHistory>();
    for (const { accountId, type, data, occurredAt } of lines.slice(0, events)) {
      histories.set(accountId, evolveLtvHistory(histories.get(accountId) ?? initialLtvHistory(), { type, data, occurredAt } as FoldableEvent));
    }
    const models = fitLtvModels([...histories.values()].map((history) => observeLtv(history, AT)), { asOf: AT, axis: 'recorded', position: events });
    const values = new Map([...histories].map(([account, history]) => [account, expectedLtv(history, models, AT, SETTINGS)]));
    return { models, values };
  }

  it('values every account finitely and at least 0 after 1,969 events, where a no-dropout BG/NBD fit made them negative', () => {
    const { models, values } = fitSlice(1_969);
    // Six purchase histories, no dropout seen: a/(a + b) ≈ 2·10⁻¹⁵. Eq. 10's closed form lost
    // every digit there and valued demo-42-0001 at −579,275,301.
    expect(models.bgnbd).toMatchObject({ n: 6 });
    expect(models.bgnbd!.b).toBeGreaterThan(1e9);
    const purchases = [...values].filter(([, value]) => value.model === 'bgnbd-gamma-gamma');
    expect(purchases.length).toBe(6);
    for (const [, value] of purchases) expect(value.expected).toBeGreaterThan(0);
    for (const [, value] of values) expect(Number.isFinite(value.expected) && value.expected >= 0).toBe(true);
    // 14.58 discounted purchases (the no-dropout limit) of 759.86 each.
    expect(values.get('demo-42-0001')!.expected).toBeCloseTo(1_108_178, -2);
  });

  it('refuses a Gamma-Gamma fit that did not converge, with its reason, and values purchase accounts at none', () => {
    const { models, values } = fitSlice(1_000);
    expect(models.gammaGamma).toBeNull();
    // So early, two segments have seen no churn yet: no sBG for them (their contracts fall back to the remaining term).
    expect(models.rejected).toEqual([
      { model: 'sbg', segment: 'enterprise', reason: expect.stringMatching(/no customer of the segment has churned yet \(1 observed\)/) },
      { model: 'sbg', segment: 'mid-market', reason: expect.stringMatching(/no customer of the segment has churned yet \(3 observed\)/) },
      { model: 'gamma-gamma', segment: '', reason: expect.stringMatching(/did not converge in \d+ evaluations/) },
    ]);
    const purchaseAccounts = [...values.values()].filter((value) => value.model !== 'sbg' && value.model !== 'contract');
    expect(purchaseAccounts.length).toBeGreaterThan(0);
    for (const value of purchaseAccounts) expect(value).toEqual({ expected: 0, model: 'none' });
  });

  it('stores a refused fit as a row with its reason and reads it back as refused', () => {
    const { models } = fitSlice(1_000);
    const rows = ltvModelRows(models, AT);
    expect(rows.filter((row) => row.rejection !== null)).toEqual([
      expect.objectContaining({ model: 'sbg', segment: 'enterprise', n: null, log_likelihood: null }),
      expect.objectContaining({ model: 'sbg', segment: 'mid-market', n: null, log_likelihood: null }),
      expect.objectContaining({ model: 'gamma-gamma', n: null, log_likelihood: null }),
    ]);
    expect(ltvModelsOf(rows.toReversed())).toEqual(models);
  });
});
