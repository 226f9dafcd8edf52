import type { ChurnRiskFactor } from '../query.types';
import { CHURN_RISK_FACTORS } from './churn-risk.factors';
import { viewOfRow, type AccountHealthViewRow } from './account-health.view';
import { factorsJson, healthPageJson } from './health-page.json';

/** jsonb's text of the factors without its spaces, as FACTORS_COLUMN reads it. */
const column = (factors: readonly ChurnRiskFactor[]) => JSON.stringify(factors);

const row = (overrides: Partial<AccountHealthViewRow> = {}): AccountHealthViewRow => ({
  account_id: 'acc-1',
  name: 'Pine Logistics Inc',
  segment: 'smb',
  manager_id: 'mgr-ana',
  status: 'open',
  churn_risk: 72,
  band: 'red',
  factors: column([{ name: 'openComplaints', value: 3, points: 18 }, { name: 'satisfactionTrend', value: null, points: 0 }, { name: 'satisfactionLevel', value: -12.5, points: 4 }]),
  satisfaction_latest: 0,
  satisfaction_mean90d: null,
  satisfaction_trend: -124.04,
  satisfaction_arrow: 'down',
  ltv_realized: 101_417,
  ltv_expected: 0.1 + 0.2,
  ltv_total: 278_990_612,
  currency: 'EUR',
  ltv_model: 'sbg',
  open_complaints: 3,
  overdue_invoices: 0,
  days_since_last_contact: null,
  renewal_date: '2026-09-22',
  scoring_version: 'v2-b09ea8a2',
  position: 757_822,
  updated_at: '2026-11-30T13:18:02.486Z',
  scored_at: '2026-11-30T13:25:31.010Z',
  ...overrides,
});

const stringified = (rows: readonly AccountHealthViewRow[], nextCursor: string | null) => JSON.stringify({ items: rows.map(viewOfRow), nextCursor });

describe('healthPageJson', () => {
  it('writes what JSON.stringify writes for the page of the rows’ views, byte for byte', () => {
    const rows = [
      row(),
      row({ account_id: 'acc-"2"', name: 'Émile & Söhne \\ "quoted"\n\t\u0001 ☃ 𝄞', renewal_date: null, days_since_last_contact: 0, satisfaction_latest: 99.99 }),
      row({ status: 'closed', band: 'green', factors: '[]', ltv_model: 'none', ltv_expected: Number.NaN, position: 1e20 }),
    ];
    for (const cursor of [null, 'eyJzIjoiLWNodXJuUmlzayIsInYiOiI1NCJ9']) {
      expect(healthPageJson(rows, cursor)).toBe(stringified(rows, cursor));
      expect(healthPageJson([], cursor)).toBe(stringified([], cursor));
    }
  });

  it('relies on factor names without spaces: FACTORS_COLUMN drops every space of the jsonb text', () => {
    for (const name of CHURN_RISK_FACTORS) expect(name).toMatch(/^[A-Za-z]+$/);
  });

  it('writes factors under 1e-6 as JSON.stringify does (jsonb writes them out in full)', () => {
    const jsonb = '[{"name":"satisfactionTrend","value":0.0000001,"points":0}]';
    expect(factorsJson(jsonb)).toBe('[{"name":"satisfactionTrend","value":1e-7,"points":0}]');
    expect(healthPageJson([row({ factors: jsonb })], null)).toBe(stringified([row({ factors: jsonb })], null));
    expect(factorsJson('[{"name":"daysOverdue","value":374,"points":8}]')).toBe('[{"name":"daysOverdue","value":374,"points":8}]');
  });
});
