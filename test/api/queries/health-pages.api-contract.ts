import { type RunningApi } from '../api-harness';
import { parseCsv } from './csv-parse';
import { seedAccounts, type SeededAccount } from './health-fixtures';
import { caughtUp } from './queries-harness';

type View = Record<string, any>;

export const HEALTH_CSV_HEADER = [
  'accountId', 'name', 'segment', 'managerId', 'status', 'churnRisk', 'band', 'satisfactionLatest', 'satisfactionMean90d',
  'satisfactionTrend', 'satisfactionArrow', 'ltvRealized', 'ltvExpected', 'ltvTotal', 'currency', 'ltvModel', 'openComplaints',
  'overdueInvoices', 'daysSinceLastContact', 'renewalDate', 'scoringVersion', 'position', 'updatedAt', 'factors',
];

/** Follows nextCursor from the first page to the last; answers every row in the order served. */
async function walk(api: RunningApi, query: string, limit: number): Promise<View[]> {
  const items: View[] = [];
  let cursor: string | null = null;
  for (let pages = 0; ; pages++) {
    if (pages > 10_000) throw new Error('the walk never ended');
    const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const { body }: { body: { items: View[]; nextCursor: string | null } } = await api.http().get(`/v1/health?${query}&limit=${limit}${suffix}`).expect(200);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    items.push(...body.items);
    cursor = body.nextCursor;
    if (cursor === null) return items;
  }
}

const idsOf = (items: readonly View[]) => items.map((item) => item.accountId as string);

/** Paging (cursor, Link), the CSV form, and a page walk while others write. */
export function describeHealthPages(api: () => RunningApi): void {
  const prefix = `hp${Date.now().toString(36)}`;
  let seeded: SeededAccount[] = [];

  beforeAll(async () => {
    seeded = await seedAccounts(api(), prefix);
    await caughtUp(api());
  }, 120_000);

  it.each(['-churnRisk', 'churnRisk', 'accountId', '-name', 'daysSinceLastContact', '-ltvTotal', 'renewalDate', '-updatedAt'])(
    'walks every row exactly once, in the order of one big page, with limit 3 sorted by %s',
    async (sort) => {
      const whole = (await api().http().get(`/v1/health?sort=${sort}&limit=1000`).expect(200)).body.items as View[];
      const walked = await walk(api(), `sort=${sort}`, 3);
      expect(idsOf(walked)).toEqual(idsOf(whole));
      expect(new Set(idsOf(walked)).size).toBe(walked.length);
      const mine = await walk(api(), `sort=${sort}&managerId=${prefix}-m0`, 3);
      expect([...idsOf(mine)].sort()).toEqual(seeded.filter((a) => a.managerId === `${prefix}-m0`).map((a) => a.accountId));
    },
  );

  it('puts the next page in Link and X-Next-Cursor, and the Link leads there', async () => {
    const first = await api().http().get(`/v1/health?managerId=${prefix}-m0&sort=accountId&limit=3`).expect(200);
    expect(first.headers['x-next-cursor']).toBe(first.body.nextCursor);
    const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.link as string);
    expect(link).not.toBeNull();
    expect(link![1]).toMatch(new RegExp(`^/v1/health\\?managerId=${prefix}-m0&sort=accountId&limit=3&cursor=`));
    const second = await api().http().get(link![1]!).expect(200);
    expect(idsOf(second.body.items)).toEqual(seeded.filter((a) => a.managerId === `${prefix}-m0`).map((a) => a.accountId).slice(3, 6));
    const last = await api().http().get(`/v1/health?managerId=${prefix}-m0&limit=1000`).expect(200);
    expect(last.headers.link).toBeUndefined();
    expect(last.headers['x-next-cursor']).toBeUndefined();
  });

  it('answers CSV for Accept: text/csv: the same rows, flattened, quoted, formulas defused', async () => {
    const query = `/v1/health?managerId=${prefix}-m1&sort=accountId`;
    const json = (await api().http().get(query).expect(200)).body.items as View[];
    const response = await api().http().get(query).set('Accept', 'text/csv').expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers.vary).toMatch(/Accept/);
    const [header, ...rows] = parseCsv(response.text);
    expect(header).toEqual(HEALTH_CSV_HEADER);
    expect(rows.map((row) => row[0])).toEqual(idsOf(json));
    rows.forEach((row, index) => {
      const item = json[index]!;
      const cells = Object.fromEntries(header!.map((name, column) => [name, row[column]]));
      const defused = /^[=+\-@\t\r]/.test(item.name) ? `'${item.name}` : item.name;
      expect(cells).toMatchObject({
        name: defused, churnRisk: String(item.churnRisk), band: item.band, ltvTotal: String(item.ltv.total),
        satisfactionTrend: item.satisfaction.trend === null ? '' : String(item.satisfaction.trend),
        renewalDate: item.renewalDate ?? '', updatedAt: item.updatedAt,
        factors: item.factors.map((factor: View) => `${factor.name}=${factor.points}`).join(';'),
      });
    });
    const other = await api().http().get(`/v1/health?managerId=${prefix}-m0&sort=accountId`).set('Accept', 'text/csv').expect(200);
    const raw = response.text + other.text;
    expect(raw).toContain(`,"Acme, ""Quoted"" & Co",`);
    expect(raw).toContain(`,'+Plus Widgets,`);
    expect(raw).toContain(`,'@Mention Ltd,`);
    expect(raw).toContain(`,  Spaced  ,`);
    expect(raw).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
    expect(raw).toContain(`,'-Minus Corp,`);
    expect(raw).toContain(`,"Two\nLines GmbH",`);
  });

  it('pages CSV through Link and X-Next-Cursor, a header on every page', async () => {
    const first = await api().http().get(`/v1/health?managerId=${prefix}-m0&sort=accountId&limit=4`).set('Accept', 'text/csv').expect(200);
    const [header, ...rows] = parseCsv(first.text);
    expect(header).toEqual(HEALTH_CSV_HEADER);
    expect(rows).toHaveLength(4);
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.link as string)![1]!;
    const second = await api().http().get(next).set('Accept', 'text/csv').expect(200);
    expect(parseCsv(second.text).slice(1).map((row) => row[0])).toEqual(
      seeded.filter((a) => a.managerId === `${prefix}-m0`).map((a) => a.accountId).slice(4, 8),
    );
    const empty = await api().http().get(`/v1/health?managerId=${prefix}-nobody`).set('Accept', 'text/csv').expect(200);
    expect(parseCsv(empty.text)).toEqual([HEALTH_CSV_HEADER]);
  });

  it.each(['-churnRisk', 'accountId'])('never serves a row twice in a walk by %s while other accounts are being written', async (sort) => {
    const before = idsOf((await api().http().get(`/v1/health?sort=${sort}&limit=1000`).expect(200)).body.items);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const accountId = `${prefix}-w${sort.replace(/\W/g, '')}-${String(written).padStart(4, '0')}`;
        await api().http().post('/v1/accounts').send({ accountId, name: 'Busy', segment: 'busy', managerId: 'mgr-busy', currency: 'EUR' }).expect(201);
        await api().http().post(`/v1/accounts/${accountId}/complaints`).send({ severity: 'critical', category: 'outage', description: 'Down' }).expect(201);
        written += 1;
      }
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const walked = idsOf(await walk(api(), `sort=${sort}`, 3));
      expect(new Set(walked).size).toBe(walked.length);
      expect(walked).toEqual(expect.arrayContaining(before));
    } finally {
      writing = false;
      await writer;
    }
    expect(written).toBeGreaterThan(0);
  }, 120_000);
}
