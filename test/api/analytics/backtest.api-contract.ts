import { generatePortfolio, seedPortfolio, type PortfolioOptions } from '@ahe/demo';
import { ERROR_SHAPE, type RunningApi } from '../api-harness';

/** The demo portfolio's period ends 2026-01-01; scored 180 days before, so its whole horizon is known. */
export const DEMO_AS_OF = '2025-07-05T00:00:00.000Z';
export const DEMO_HORIZON_DAYS = 180;

export async function seedDemo(api: RunningApi, options: PortfolioOptions): Promise<void> {
  const result = await seedPortfolio(api.store, options);
  expect(result.accounts).toBe(options.accounts);
}

/** Accounts of the portfolio opened by an instant: those a backtest as of it scores or excludes. */
export const openedBy = (options: PortfolioOptions, asOf: string): number =>
  [...generatePortfolio(options)].filter((line) => line.type === 'AccountOpened' && line.occurredAt <= asOf).length;

export async function backtestOf(api: RunningApi, authorization?: string) {
  const request = api.http().get(`/v1/analytics/backtest?asOf=${DEMO_AS_OF}&horizonDays=${DEMO_HORIZON_DAYS}`);
  return (await (authorization === undefined ? request : request.set('Authorization', authorization)).expect(200)).body;
}

type Counted = { accounts: number; churned?: number; positives?: number };
const sum = (items: readonly Counted[], key: 'accounts' | 'churned' | 'positives') => items.reduce((total, item) => total + (item[key] ?? 0), 0);

/** The counts behind every figure add up to the accounts scored and the churn observed. */
export function expectConsistentCounts(body: Record<string, any>, openedByAsOf: number): void {
  expect(body.accounts + body.excluded.closed + body.excluded.renewalLost).toBe(openedByAsOf);
  expect(body.churnRate).toBeCloseTo(body.churned / body.accounts, 12);
  expect(body.calibration.map((band: { band: string }) => band.band)).toEqual(['green', 'amber', 'red']);
  expect(sum(body.calibration, 'accounts')).toBe(body.accounts);
  expect(sum(body.calibration, 'churned')).toBe(body.churned);
  expect(body.liftByDecile).toHaveLength(10);
  expect(sum(body.liftByDecile, 'accounts')).toBe(body.accounts);
  expect(sum(body.liftByDecile, 'positives')).toBe(body.churned);
  expect(body.roc[0]).toEqual({ threshold: null, tpr: 0, fpr: 0 });
  expect(body.roc.at(-1)).toMatchObject({ tpr: 1, fpr: 1 });
}

/** 400s of GET /v1/analytics/backtest, each naming the parameter. */
export function describeBacktestBadInput(api: () => RunningApi): void {
  const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
  it.each([
    ['asOf=soon', 'asOf'], ['asOf=2025-13-01', 'asOf'], ['asOf=1700000000', 'asOf'], [`asOf=${inAMonth}&horizonDays=1`, 'asOf'],
    [`asOf=${lastWeek}&horizonDays=90`, 'asOf'], ['horizonDays=0', 'horizonDays'], ['horizonDays=1096', 'horizonDays'],
    ['horizonDays=1.5', 'horizonDays'], ['horizonDays=ninety', 'horizonDays'], ['axis=business', 'axis'], ['groupBy=segment', 'groupBy'],
  ])('answers 400 naming the parameter for ?%s', async (query, field) => {
    const response = await api().http().get(`/v1/analytics/backtest?${query}`).expect(400);
    expect(response.body).toMatchObject({ ...ERROR_SHAPE, field });
  });

  it('says when the horizon ends and which asOf would do', async () => {
    const response = await api().http().get(`/v1/analytics/backtest?asOf=${lastWeek}&horizonDays=90`).expect(400);
    expect(response.body.message).toMatch(/\+ 90 days ends after now: churn within the horizon is not known yet; use asOf at or before \d{4}-/);
  });
}
