import { startApi, type RunningApi } from '../api-harness';
import { backtestOf, DEMO_AS_OF, describeBacktestBadInput, expectConsistentCounts, openedBy, seedDemo } from './backtest.api-contract';

jest.setTimeout(300_000);

/**
 * Demo portfolios of 2,000 accounts over two years (~90k events each), scored as of 180 days
 * before their end: ~1,450 accounts scored, ~120–190 of them churned within the horizon.
 */
const DEMO = { accounts: 2_000, years: 2, seed: 42 } as const;

describe('GET /v1/analytics/backtest on PostgreSQL, demo churn following its signals', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi('postgres');
    await seedDemo(api, DEMO);
  });
  afterAll(() => api?.close());

  it('ranks the accounts that churned well above chance, and says how it got there', async () => {
    const body = await backtestOf(api);
    expect(body).toMatchObject({ asOf: DEMO_AS_OF, horizonDays: 180, axis: 'occurred' });
    expectConsistentCounts(body, openedBy(DEMO, DEMO_AS_OF));
    expect(body.auc).toBeGreaterThan(0.6);
    expect(body.liftByDecile[0].lift).toBeGreaterThan(1.5);
  });

  describe('bad input', () => describeBacktestBadInput(() => api));
});

describe('GET /v1/analytics/backtest on PostgreSQL, demo churn at random', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi('postgres');
    await seedDemo(api, { ...DEMO, churn: 'random' });
  });
  afterAll(() => api?.close());

  it('finds no better than chance', async () => {
    const body = await backtestOf(api);
    expectConsistentCounts(body, openedBy({ ...DEMO, churn: 'random' }, DEMO_AS_OF));
    // ~1,450 accounts, ~120 churned: the AUC of a score unrelated to churn has a standard error
    // of ~0.028 here (Hanley & McNeil 1982), so 0.07 is 2.5 of them.
    expect(Math.abs(body.auc - 0.5)).toBeLessThan(0.07);
  });
});
