import { ERROR_SHAPE, type RunningApi } from '../api-harness';
import { parseCsv } from './csv-parse';
import { HEALTH_CSV_HEADER } from './health-pages.api-contract';
import { caughtUp } from './queries-harness';

type View = Record<string, any>;

const CURRENCIES = ['EUR', 'USD', 'JPY'] as const;

/** GET /v1/health?currency=: the filter alone and with the others, sorted, paged, as CSV; bad codes. */
export function describeHealthCurrency(api: () => RunningApi): void {
  const prefix = `hc${Date.now().toString(36)}`;
  const managerId = `${prefix}-m`;
  const accounts: { readonly accountId: string; readonly currency: string; readonly segment: string }[] = [];
  const ids = (items: readonly View[]) => items.map((item) => item.accountId as string);
  const list = async (query: string): Promise<{ items: View[]; nextCursor: string | null }> =>
    (await api().http().get(`/v1/health?managerId=${managerId}&${query}`).expect(200)).body;

  beforeAll(async () => {
    for (let index = 0; index < 12; index++) {
      const account = { accountId: `${prefix}-a${String(index).padStart(2, '0')}`, currency: CURRENCIES[index % 3]!, segment: `${prefix}-s${index % 2}` };
      // Contract values that interleave across currencies, so that -ltvTotal mixes them unfiltered.
      const contract = { startsOn: '2025-01-01', endsOn: '2027-12-31', annualValue: (1 + ((index * 7) % 12)) * 1_000_00 };
      await api().http().post('/v1/accounts').send({ ...account, name: `Currency ${index}`, managerId, contract, occurredAt: '2025-01-01T09:00:00Z' }).expect(201);
      accounts.push(account);
    }
    await caughtUp(api());
  }, 120_000);

  it.each(CURRENCIES)('lists only the accounts in %s, as JSON and CSV', async (currency) => {
    const expected = accounts.filter((account) => account.currency === currency).map((account) => account.accountId);
    const page = await list(`currency=${currency}&sort=accountId`);
    expect(ids(page.items)).toEqual(expected);
    expect(page.items.every((item) => item.ltv.currency === currency)).toBe(true);
    const csv = await api().http().get(`/v1/health?managerId=${managerId}&currency=${currency}&sort=accountId`).set('Accept', 'text/csv').expect(200);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(HEALTH_CSV_HEADER);
    expect(rows.map((row) => [row[0], row[HEALTH_CSV_HEADER.indexOf('currency')]])).toEqual(expected.map((id) => [id, currency]));
  });

  it('composes with the other filters, and answers nothing for a currency no account has', async () => {
    const expected = accounts.filter((account) => account.currency === 'USD' && account.segment === `${prefix}-s1`).map((account) => account.accountId);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids((await list(`currency=USD&segment=${prefix}-s1&status=open&sort=accountId`)).items)).toEqual(expected);
    expect((await list('currency=GBP')).items).toEqual([]);
  });

  it.each(['-ltvTotal', '-churnRisk', 'name'])('walks the currency with limit 2 sorted by %s: every row once, in the order of one page', async (sort) => {
    const whole = await list(`currency=EUR&sort=${sort}&limit=1000`);
    expect(ids(whole.items).sort()).toEqual(accounts.filter((account) => account.currency === 'EUR').map((account) => account.accountId));
    const walked: View[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: View[]; nextCursor: string | null } = await list(`currency=EUR&sort=${sort}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(ids(walked)).toEqual(ids(whole.items));
    if (sort === '-ltvTotal') {
      const totals = walked.map((item) => item.ltv.total as number);
      expect(totals).toEqual([...totals].sort((a, b) => b - a));
    }
  });

  it.each(['eur', 'EURO', 'EU', 'E1R', '', '%E2%82%AC', 'EUR%00'])('answers 400 naming currency for currency=%s', async (currency) => {
    const response = await api().http().get(`/v1/health?currency=${currency}`).expect(400);
    expect(response.body).toMatchObject({ ...ERROR_SHAPE, field: 'currency', message: expect.stringContaining('currency') });
  });
}
