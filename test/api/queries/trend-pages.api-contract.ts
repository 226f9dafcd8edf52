import { ERROR_SHAPE, type RunningApi } from '../api-harness';
import { parseCsv } from './csv-parse';
import { caughtUp } from './queries-harness';

type Point = Record<string, any>;
type TrendPage = { groupBy: string; interval: string; items: Point[]; nextCursor: string | null };

/** Surveys on these days (two ISO weeks, two months) for every account: each period ties across keys. */
const SURVEY_DAYS = ['2025-03-03', '2025-03-05', '2025-03-12', '2025-04-01'];
const cursorOf = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const idOf = (point: Point) => `${point.key}\u0000${point.period}`;

/** GET /v1/satisfaction/trends paged: limit, cursor walks, bad paging parameters, CSV headers. */
export function describeTrendPages(api: () => RunningApi): void {
  const prefix = `tp${Date.now().toString(36)}`;
  // Mixed case, "-" and "_": bytewise and natural-language collations order these differently; a walk follows the database's.
  const accountIds = ['A', 'b', 'C', 'd', 'E'].map((suffix, index) => `${prefix}${index % 2 === 0 ? '-' : '_'}${suffix}`);
  const segments = [`${prefix} Seg`, `${prefix} seg`];
  const get = async (query: string): Promise<TrendPage> => (await api().http().get(`/v1/satisfaction/trends?${query}`).expect(200)).body;

  /** Follows nextCursor from the first page to the last; every point in the order served. */
  const walk = async (query: string, limit: number): Promise<Point[]> => {
    const points: Point[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10_000; pages++) {
      const page = await get(`${query}&limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      points.push(...page.items);
      cursor = page.nextCursor;
      if (cursor === null) return points;
    }
    throw new Error('the walk never ended');
  };

  beforeAll(async () => {
    for (const [index, accountId] of accountIds.entries()) {
      await api().http().post('/v1/accounts').send({
        accountId, name: 'Trend pages', segment: segments[index % 2], managerId: `${prefix}-m`, currency: 'EUR', occurredAt: '2025-01-01T09:00:00Z',
      }).expect(201);
      for (const [day, score] of SURVEY_DAYS.map((day, at) => [day, 1 + ((index + at) % 5)] as const)) {
        await api().http().post(`/v1/accounts/${accountId}/surveys`).send({ kind: 'csat', score, occurredAt: `${day}T10:00:00Z` }).expect(201);
      }
    }
    await caughtUp(api());
  }, 120_000);

  it("keeps one key's series, as the dashboard asks for it, whole on one page without a limit", async () => {
    const page = await get(`groupBy=account&interval=week&key=${accountIds[0]}&from=2025-01-01`);
    expect(page).toEqual({ groupBy: 'account', interval: 'week', items: expect.any(Array), nextCursor: null });
    expect(page.items.map((point) => point.period)).toEqual(['2025-03-03', '2025-03-10', '2025-03-31']);
    expect(page.items.map((point) => point.responses)).toEqual([2, 1, 1]);
  });

  it('answers at most limit points, and a cursor when more follow', async () => {
    const page = await get(`groupBy=account&interval=week&key=${accountIds[1]}&limit=2`);
    expect(page.items.map((point) => point.period)).toEqual(['2025-03-03', '2025-03-10']);
    expect(page.nextCursor).toEqual(expect.any(String));
    const rest = await get(`groupBy=account&interval=week&key=${accountIds[1]}&limit=2&cursor=${page.nextCursor}`);
    expect(rest).toMatchObject({ items: [expect.objectContaining({ key: accountIds[1], period: '2025-03-31' })], nextCursor: null });
  });

  it.each([
    ['groupBy=account&interval=week', 1], ['groupBy=account&interval=week', 3], ['groupBy=account&interval=month', 4],
    ['groupBy=segment&interval=week', 2], [`groupBy=account&interval=week&from=2025-03-10`, 3],
  ])('walks %s with limit %i: every point once, in the order of one big page', async (query, limit) => {
    const whole = await get(`${query}&limit=1000`);
    expect(whole.nextCursor).toBeNull();
    const walked = await walk(query, limit);
    expect(walked).toEqual(whole.items);
    expect(new Set(walked.map(idOf)).size).toBe(walked.length);
    const mine = walked.filter((point) => accountIds.includes(point.key) || segments.includes(point.key));
    expect(mine.length).toBeGreaterThanOrEqual(query.includes('segment') ? 6 : 10);
  });

  it('pages CSV through X-Next-Cursor and Link, a header row on every page', async () => {
    const query = `groupBy=account&interval=week&from=2025-03-01&to=2025-03-31`;
    const json = (await walk(query, 1000)).map((point) => [point.key, point.period]);
    const rows: string[][] = [];
    let url: string | undefined = `/v1/satisfaction/trends?${query}&limit=4`;
    while (url !== undefined) {
      const response: { text: string; headers: Record<string, string | undefined> } = await api().http().get(url).set('Accept', 'text/csv').expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      const [header, ...records] = parseCsv(response.text);
      expect(header?.slice(0, 4)).toEqual(['groupBy', 'key', 'interval', 'period']);
      expect(records.length).toBeLessThanOrEqual(4);
      rows.push(...records);
      const next = response.headers['x-next-cursor'];
      const link: string | undefined = /^<([^>]+)>; rel="next"$/.exec(response.headers.link ?? '')?.[1];
      if (next !== undefined) expect(link).toBe(`/v1/satisfaction/trends?${query}&limit=4&cursor=${next}`);
      else expect(link).toBeUndefined();
      url = link;
    }
    expect(rows.map((row) => [row[1], row[3]])).toEqual(json);
    expect(json.length).toBeGreaterThan(4);
  });

  it.each(['0', '1001', 'abc', '2.5', '', '1e2'])('answers 400 naming limit for limit=%s', async (limit) => {
    const response = await api().http().get(`/v1/satisfaction/trends?limit=${limit}`).expect(400);
    expect(response.body).toMatchObject({ ...ERROR_SHAPE, field: 'limit', message: expect.stringContaining('limit') });
  });

  it('answers 400 INVALID_CURSOR on cursor for a cursor it did not hand out for this series', async () => {
    const handedOut = (await get('groupBy=account&interval=week&limit=1')).nextCursor!;
    const bad = [
      'not a cursor!', 'AAAA', cursorOf({}), cursorOf({ g: 'account', i: 'week', k: accountIds[0], p: '2025-02-30' }),
      cursorOf({ g: 'account', i: 'week', k: 'a\u0000b', p: '2025-03-03' }), cursorOf({ g: 'account', i: 'week', k: 7, p: '2025-03-03' }),
      cursorOf({ g: 'account', i: 'week', k: 'x', p: '2025-03-03', extra: 1 }), cursorOf({ s: '-churnRisk', v: '1', id: 'acme' }),
    ];
    for (const [query, cursor] of [...bad.map((cursor) => ['groupBy=account&interval=week', cursor]), ['groupBy=segment&interval=week', handedOut], ['groupBy=account&interval=month', handedOut]]) {
      const response = await api().http().get(`/v1/satisfaction/trends?${query}&cursor=${encodeURIComponent(cursor!)}`);
      expect({ cursor, status: response.status }).toEqual({ cursor, status: 400 });
      expect(response.body).toMatchObject({ ...ERROR_SHAPE, code: 'INVALID_CURSOR', field: 'cursor', message: expect.stringContaining('cursor') });
    }
    await api().http().get(`/v1/satisfaction/trends?groupBy=account&interval=week&cursor=${handedOut}`).expect(200);
  });
}
