import { BANDS, HEALTH_SORT_KEYS } from '@ahe/read-models';
import { ERROR_SHAPE, type RunningApi } from '../api-harness';
import { seedAccounts, type SeededAccount } from './health-fixtures';
import { caughtUp } from './queries-harness';

type View = Record<string, any>;

/** GET /v1/health/:accountId and GET /v1/health: rows, filters, order and bad parameters. */
export function describeHealthRoutes(api: () => RunningApi): void {
  const prefix = `hr${Date.now().toString(36)}`;
  let seeded: SeededAccount[] = [];
  const list = async (query: string): Promise<View[]> => (await api().http().get(`/v1/health?limit=1000&${query}`).expect(200)).body.items;

  beforeAll(async () => {
    seeded = await seedAccounts(api(), prefix);
    await caughtUp(api());
  }, 120_000);

  it('serves each account as its events say, scored now, every point of churnRisk accounted for', async () => {
    for (const account of seeded) {
      const started = Date.now();
      const { body } = await api().http().get(`/v1/health/${account.accountId}`).expect(200);
      expect(body).toMatchObject({
        accountId: account.accountId, name: account.name, segment: account.segment, managerId: account.managerId,
        status: account.closed ? 'closed' : 'open', openComplaints: account.openComplaints, overdueInvoices: account.overdueInvoices,
        ltv: { realized: account.realized, currency: 'EUR' }, renewalDate: account.renewalDate, position: account.position,
        scoringVersion: expect.any(String), updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
      if (!account.closed) expect(body.band).toBe(account.profile);
      expect(body.factors.reduce((sum: number, factor: { points: number }) => sum + factor.points, 0)).toBe(body.churnRisk);
      // A closed account is scored as of its closure (today, 00:00 in the fixture); the others now.
      if (account.closed) expect(body.scoredAt).toBe(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
      else expect(Date.parse(body.scoredAt)).toBeGreaterThanOrEqual(started - 1000);
    }
  });

  it('answers 404 for an unknown account, 400 for a bad id, and 400 naming a parameter it does not take', async () => {
    const unknown = await api().http().get(`/v1/health/${prefix}-ghost`).expect(404);
    expect(unknown.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 404, code: 'ACCOUNT_NOT_FOUND' });
    expect((await api().http().get(`/v1/health/${'x'.repeat(65)}`).expect(400)).body.field).toBe('accountId');
    const asOf = await api().http().get(`/v1/health/${seeded[0]!.accountId}?asOf=2025-13-01`).expect(400);
    expect(asOf.body).toMatchObject({ ...ERROR_SHAPE, field: 'asOf', message: expect.stringContaining('asOf') });
  });

  it('filters by manager, segment, band, status and risk range', async () => {
    const ids = (items: View[]) => items.map((item) => item.accountId).sort();
    const open = seeded.filter((account) => !account.closed);
    expect(ids(await list(`managerId=${prefix}-m0`))).toEqual(seeded.filter((a) => a.managerId === `${prefix}-m0`).map((a) => a.accountId));
    expect(ids(await list(`segment=${prefix}-enterprise`))).toEqual(seeded.filter((a) => a.segment === `${prefix}-enterprise`).map((a) => a.accountId));
    expect(ids(await list(`managerId=${prefix}-m1&status=closed`))).toEqual(seeded.filter((a) => a.closed).map((a) => a.accountId));
    for (const band of BANDS) {
      const banded = (await list(`band=${band}&managerId=${prefix}-m0`)).concat(await list(`band=${band}&managerId=${prefix}-m1&status=open`));
      expect(banded.every((item) => item.band === band)).toBe(true);
      expect(ids(banded)).toEqual(expect.arrayContaining(open.filter((a) => a.profile === band).map((a) => a.accountId)));
    }
    const mine = await list(`managerId=${prefix}-m0`);
    const ranged = await list(`managerId=${prefix}-m0&minRisk=30&maxRisk=59`);
    expect(ids(ranged)).toEqual(ids(mine.filter((item) => item.churnRisk >= 30 && item.churnRisk <= 59)));
    expect(ranged.length).toBeGreaterThan(0);
    expect(await list(`managerId=${prefix}-m0&minRisk=100`)).toEqual([]);
    // churnRisk is a whole number; fractional bounds are answered, not refused (they once gave a 500).
    const fractional = await list(`managerId=${prefix}-m0&minRisk=29.5&maxRisk=59.75`);
    expect(ids(fractional)).toEqual(ids(mine.filter((item) => item.churnRisk >= 29.5 && item.churnRisk <= 59.75)));
    await api().http().get(`/v1/health?managerId=${prefix}-m0&minRisk=30.5`).set('accept', 'text/csv').expect(200);
  });

  it('churns an account at its contract\'s end after a lost renewal, in the row, the list and the portfolio; a renewal won back reopens it', async () => {
    const accountId = `${prefix}-churn`;
    const managerId = `${prefix}-mchurn`;
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const endsOn = daysAgo(30).slice(0, 10);
    const send = (url: string, body: object) => api().http().post(url).send(body).expect(201);
    await send('/v1/accounts', {
      accountId, name: 'Leaving Ltd', segment: `${prefix}-churners`, managerId, currency: 'EUR', occurredAt: daysAgo(400),
      contract: { startsOn: daysAgo(400).slice(0, 10), endsOn, annualValue: 50_000_00 },
    });
    await send(`/v1/accounts/${accountId}/renewals`, { outcome: 'lost', reason: 'Budget cut', occurredAt: daysAgo(60) });
    await caughtUp(api());
    const dayAfterEnd = `${new Date(Date.parse(`${endsOn}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)}T00:00:00.000Z`;
    const { body } = await api().http().get(`/v1/health/${accountId}`).expect(200);
    expect(body).toMatchObject({ status: 'churned', scoredAt: dayAfterEnd, renewalDate: endsOn, ltv: { expected: 0 } });
    expect((await list(`managerId=${managerId}&status=churned`)).map((item) => [item.accountId, item.status])).toEqual([[accountId, 'churned']]);
    expect(await list(`managerId=${managerId}&status=open`)).toEqual([]);
    const rollup = async () => (await api().http().get('/v1/portfolio?groupBy=manager').expect(200)).body.items.find((item: View) => item.key === managerId);
    expect(await rollup()).toMatchObject({ accounts: 0, bands: { green: 0, amber: 0, red: 0 }, churned: 1, closed: 0, expectedLtv: 0 });

    await send(`/v1/accounts/${accountId}/renewals`, { outcome: 'won', endsOn: daysAgo(-335).slice(0, 10), annualValue: 40_000_00, occurredAt: daysAgo(1) });
    await caughtUp(api());
    expect((await api().http().get(`/v1/health/${accountId}`).expect(200)).body.status).toBe('open');
    expect(await rollup()).toMatchObject({ accounts: 1, churned: 0, closed: 0 });
  });

  it.each(HEALTH_SORT_KEYS.flatMap((key) => [key, `-${key}`]))('orders by %s, NULLs last, ties by ascending accountId', async (sort) => {
    const items = await list(`managerId=${prefix}-m1&sort=${sort}`);
    expect(items).toHaveLength(seeded.filter((a) => a.managerId === `${prefix}-m1`).length);
    const key = sort.replace(/^-/, '');
    const descending = sort.startsWith('-');
    const valueOf = (item: View) => (key === 'ltvTotal' ? item.ltv.total : item[key]) as string | number | null;
    // Names order by the database's collation, which JavaScript does not know; the page walks check them.
    for (let index = 1; key !== 'name' && index < items.length; index++) {
      const [previous, current] = [valueOf(items[index - 1]!), valueOf(items[index]!)];
      if (current === null) continue;
      expect(previous).not.toBeNull();
      const order = compare(previous!, current) * (descending ? -1 : 1);
      expect(order <= 0).toBe(true);
      if (order === 0) expect(compare(items[index - 1]!.accountId, items[index]!.accountId)).toBeLessThan(0);
    }
  });

  it('answers the default order (-churnRisk) with at most 100 rows', async () => {
    const { body } = await api().http().get(`/v1/health?managerId=${prefix}-m0`).expect(200);
    expect(body.items.map((item: View) => item.churnRisk)).toEqual([...body.items.map((item: View) => item.churnRisk)].sort((a, b) => b - a));
    expect(body.nextCursor).toBeNull();
  });

  it.each([
    ['limit=0', 'limit'], ['limit=1001', 'limit'], ['limit=abc', 'limit'], ['limit=1.5', 'limit'], ['limit=', 'limit'],
    ['sort=risk', 'sort'], ['sort=--churnRisk', 'sort'], ['band=purple', 'band'], ['status=gone', 'status'],
    ['minRisk=101', 'minRisk'], ['minRisk=-1', 'minRisk'], ['maxRisk=abc', 'maxRisk'], ['minRisk=50&maxRisk=40', 'minRisk'],
    ['managerId=has%20space', 'managerId'], ['segment=' + 'x'.repeat(101), 'segment'], ['band=red&band=amber', 'band'],
    ['cursor=not-a-cursor', 'cursor'], ['cursor=%%%', 'cursor'], ['asOf=2025-01-01', 'asOf'], ['extra=1', 'extra'],
  ])('answers 400 naming the parameter for %s', async (query, field) => {
    const response = await api().http().get(`/v1/health?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 400, field });
    expect(response.body.message).toContain(field);
  });

  it('refuses a cursor handed out for another sort, naming cursor', async () => {
    const { body, headers } = await api().http().get(`/v1/health?limit=1&sort=name`).expect(200);
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers.vary).toMatch(/Accept/);
    const response = await api().http().get(`/v1/health?limit=1&sort=accountId&cursor=${body.nextCursor}`).expect(400);
    expect(response.body).toMatchObject({ field: 'cursor', code: 'INVALID_CURSOR' });
    // The same error, as JSON, when CSV was asked for: the CSV headers are set only once a page is read.
    const csv = await api().http().get(`/v1/health?limit=1&sort=accountId&cursor=${body.nextCursor}`).set('Accept', 'text/csv').expect(400);
    expect(csv.headers['content-type']).toMatch(/^application\/json/);
    expect(csv.body).toMatchObject({ field: 'cursor', code: 'INVALID_CURSOR' });
  });
}

function compare(left: string | number, right: string | number): number {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  // PostgreSQL compares text by the database collation; the ids and ISO dates here are ASCII.
  return String(left) < String(right) ? -1 : String(left) > String(right) ? 1 : 0;
}
