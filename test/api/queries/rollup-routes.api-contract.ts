import { BANDS } from '@ahe/read-models';
import { ERROR_SHAPE, type RunningApi } from '../api-harness';
import { parseCsv } from './csv-parse';
import { seedAccounts, type SeededAccount } from './health-fixtures';
import { caughtUp } from './queries-harness';

type Item = Record<string, any>;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** GET /v1/health/:accountId/history, /v1/satisfaction/trends and /v1/portfolio. */
export function describeRollupRoutes(api: () => RunningApi): void {
  const prefix = `ru${Date.now().toString(36)}`;
  let seeded: SeededAccount[] = [];
  const get = async (path: string) => (await api().http().get(path).expect(200)).body;

  beforeAll(async () => {
    seeded = await seedAccounts(api(), prefix, 6, { closeLast: false });
    await caughtUp(api());
  }, 120_000);

  it('serves the history of an account by day, week and month, within from and to', async () => {
    const red = seeded.find((account) => account.profile === 'red')!;
    const daily = await get(`/v1/health/${red.accountId}/history`);
    expect(daily).toMatchObject({ accountId: red.accountId, interval: 'day' });
    const periods = daily.items.map((item: Item) => item.period as string);
    expect(periods.length).toBeGreaterThan(3);
    expect(periods).toEqual([...periods].sort());
    expect(new Set(periods).size).toBe(periods.length);
    for (const item of daily.items) {
      expect(item).toMatchObject({ period: expect.stringMatching(DATE), churnRisk: expect.any(Number), position: expect.any(Number) });
      expect(BANDS).toContain(item.band);
    }
    const current = await get(`/v1/health/${red.accountId}`);
    expect(daily.items.at(-1)).toMatchObject({ position: current.position, ltv: { realized: red.realized } });
    const weekly = await get(`/v1/health/${red.accountId}/history?interval=week`);
    expect(weekly.items.length).toBeGreaterThan(0);
    expect(weekly.items.every((item: Item) => weekday(item.period) === 1)).toBe(true);
    const monthly = await get(`/v1/health/${red.accountId}/history?interval=month`);
    expect(monthly.items.every((item: Item) => item.period.endsWith('-01'))).toBe(true);
    const [from, to] = [periods[1]!, periods.at(-2)!];
    const window = await get(`/v1/health/${red.accountId}/history?from=${from}&to=${to}`);
    expect(window.items.map((item: Item) => item.period)).toEqual(periods.filter((period: string) => period >= from && period <= to));
    // ISO 8601 timestamps, as the conventions write instants: each bound counts as its UTC day.
    const instants = await get(`/v1/health/${red.accountId}/history?from=${from}T23:59:59Z&to=${to}T00:00:00.000Z`);
    expect(instants.items).toEqual(window.items);
  });

  it.each([
    ['from=2025-13-01', 'from'], ['to=yesterday', 'to'], ['from=2025-02-30', 'from'], ['from=2026-02-01&to=2026-01-01', 'from'],
    ['from=2025-01-01T25:00:00Z', 'from'], ['to=2025-01-01T10:00:00%2B02:00', 'to'], ['from=2026-02-01T00:00:00Z&to=2026-01-31T23:59:59Z', 'from'],
    ['interval=year', 'interval'], ['asOf=2025-01-01', 'asOf'],
  ])('answers 400 naming the parameter for history?%s', async (query, field) => {
    const response = await api().http().get(`/v1/health/${seeded[0]!.accountId}/history?${query}`).expect(400);
    expect(response.body).toMatchObject({ ...ERROR_SHAPE, field });
  });

  it('answers 404 for the history of an unknown account', async () => {
    const response = await api().http().get(`/v1/health/${prefix}-ghost/history`).expect(404);
    expect(response.body.code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('serves satisfaction trends per account, segment and manager, by week and month', async () => {
    const green = seeded.find((account) => account.profile === 'green')!;
    const byAccount = await get(`/v1/satisfaction/trends?groupBy=account&key=${green.accountId}`);
    expect(byAccount).toMatchObject({ groupBy: 'account', interval: 'month' });
    expect(byAccount.items).toEqual([
      expect.objectContaining({ groupBy: 'account', key: green.accountId, interval: 'month', responses: 1, mean: 100, csat: { responses: 1, mean: 100 } }),
    ]);
    const red = seeded.find((account) => account.profile === 'red')!;
    const redWeeks = await get(`/v1/satisfaction/trends?groupBy=account&interval=week&key=${red.accountId}`);
    expect(redWeeks.items.reduce((sum: number, item: Item) => sum + item.responses, 0)).toBe(2);
    expect(redWeeks.items.every((item: Item) => weekday(item.period) === 1)).toBe(true);
    const segments = await get('/v1/satisfaction/trends');
    expect(segments).toMatchObject({ groupBy: 'segment', interval: 'month' });
    const enterprise = segments.items.filter((item: Item) => item.key === `${prefix}-enterprise`);
    const surveysIn = (accounts: readonly SeededAccount[]) => accounts.reduce((sum, account) => sum + (account.profile === 'red' ? 2 : 1), 0);
    expect(enterprise.reduce((sum: number, item: Item) => sum + item.responses, 0)).toBe(surveysIn(seeded.filter((a) => a.segment === `${prefix}-enterprise`)));
    const manager = await get(`/v1/satisfaction/trends?groupBy=manager&key=${prefix}-m0`);
    expect(manager.items.reduce((sum: number, item: Item) => sum + item.responses, 0)).toBe(surveysIn(seeded.filter((a) => a.managerId === `${prefix}-m0`)));
    const periods = manager.items.map((item: Item) => item.period);
    const windowed = await get(`/v1/satisfaction/trends?groupBy=manager&key=${prefix}-m0&from=${periods.at(-1)}&to=${periods.at(-1)}`);
    expect(windowed.items.map((item: Item) => item.period)).toEqual([periods.at(-1)]);
  });

  it('serves satisfaction trends as CSV', async () => {
    const response = await api().http().get(`/v1/satisfaction/trends?groupBy=manager&key=${prefix}-m1`).set('Accept', 'text/csv').expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parseCsv(response.text);
    expect(header).toEqual(['groupBy', 'key', 'interval', 'period', 'responses', 'mean', 'csatResponses', 'csatMean', 'npsResponses', 'npsPromoters', 'npsDetractors', 'npsScore']);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row[0] === 'manager' && row[1] === `${prefix}-m1` && row[2] === 'month')).toBe(true);
  });

  it.each([
    ['groupBy=region', 'groupBy'], ['interval=day', 'interval'], ['from=2026-03-01&to=2026-02-01', 'from'], ['from=01/02/2026', 'from'],
    ['key=' + 'k'.repeat(101), 'key'], ['limit=0', 'limit'], ['cursor=', 'cursor'], ['sort=period', 'sort'],
  ])('answers 400 naming the parameter for trends?%s', async (query, field) => {
    const response = await api().http().get(`/v1/satisfaction/trends?${query}`).expect(400);
    expect(response.body).toMatchObject({ ...ERROR_SHAPE, field });
  });

  it('rolls the portfolio up per manager and per segment, as JSON and CSV', async () => {
    const byManager = await get('/v1/portfolio');
    expect(byManager.groupBy).toBe('manager');
    for (const managerId of [`${prefix}-m0`, `${prefix}-m1`]) {
      const mine = seeded.filter((account) => account.managerId === managerId);
      const rollup = byManager.items.find((item: Item) => item.key === managerId);
      const bands = Object.fromEntries(BANDS.map((band) => [band, mine.filter((a) => a.profile === band).length]));
      const atRisk = mine.filter((a) => a.profile === 'red' && a.renewalDate !== null).reduce((sum, a) => sum + annualValueOf(a), 0);
      expect(rollup).toMatchObject({ groupBy: 'manager', currency: 'EUR', accounts: mine.length, bands, churned: 0, closed: 0, revenueAtRisk: atRisk });
      expect(rollup.realizedLtv).toBe(mine.reduce((sum, a) => sum + a.realized, 0));
    }
    const bySegment = await get('/v1/portfolio?groupBy=segment');
    expect(bySegment.items.find((item: Item) => item.key === `${prefix}-enterprise`)).toMatchObject({
      groupBy: 'segment', accounts: seeded.filter((a) => a.segment === `${prefix}-enterprise`).length,
    });
    const csv = await api().http().get('/v1/portfolio?groupBy=segment').set('Accept', 'text/csv').expect(200);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['groupBy', 'key', 'currency', 'accounts', 'green', 'amber', 'red', 'closed', 'revenueAtRisk', 'revenueAtWatch', 'expectedLtv', 'realizedLtv', 'churned']);
    expect(rows).toHaveLength(bySegment.items.length);
    expect((await api().http().get('/v1/portfolio?groupBy=region').expect(400)).body.field).toBe('groupBy');
    expect((await api().http().get('/v1/portfolio?sort=key').expect(400)).body.field).toBe('sort');
  });
}

/** The fixture's annual contract value: (index + 1) × 10,000.00. */
const annualValueOf = (account: SeededAccount) => (Number(account.accountId.slice(-2)) + 1) * 10_000_00;
