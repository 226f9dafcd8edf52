import { eventually } from '../support/eventually';
import { startApi, type Backend, type RunningApi } from './api-harness';
import { prepareAccount } from './command-routes';

interface OpenApiParameter {
  readonly name: string;
  readonly in: 'query' | 'path' | 'header';
}

/** Already percent-encoded: what has broken parsers and databases before, invalid UTF-8 included. */
const NASTY = [
  '%00', 'a%00b', '%FF', '%ED%A0%80', '', '-1', '1e309', 'NaN', '2025-02-30', '2025-01-01T25%3A00%3A00Z', '__proto__',
  '%27%20OR%201%3D1%20--', 'x'.repeat(5_000),
];

const cursorOf = (s: string, v: unknown, id: unknown = 'acme') => Buffer.from(JSON.stringify({ s, v, id })).toString('base64url');

/** Cursors this API never hands out, but that decode: each sort's value of the wrong kind, and NUL in the id. */
const FORGED_CURSORS: ReadonlyArray<readonly [sort: string, cursor: string]> = [
  ['-churnRisk', cursorOf('-churnRisk', 'x')],
  ['-churnRisk', cursorOf('-churnRisk', '99999999999')],
  ['ltvTotal', cursorOf('ltvTotal', '1.5')],
  ['renewalDate', cursorOf('renewalDate', '2026-02-30')],
  ['renewalDate', cursorOf('renewalDate', '0000-01-01')],
  ['-updatedAt', cursorOf('-updatedAt', '0000-01-01T00:00:00.000000Z')],
  ['-updatedAt', cursorOf('-updatedAt', 'yesterday')],
  ['name', cursorOf('name', 'a\u0000b')],
  ['accountId', cursorOf('accountId', 'acme', 'a\u0000b')],
];

const trendCursorOf = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Satisfaction-trend cursors this API never hands out, but that decode: a period no date has, NUL or no text as the key, another series. */
const FORGED_TREND_CURSORS: readonly string[] = [
  trendCursorOf({ g: 'segment', i: 'month', k: 'enterprise', p: '2026-02-30' }),
  trendCursorOf({ g: 'segment', i: 'month', k: 'enterprise', p: '0000-01-01' }),
  trendCursorOf({ g: 'segment', i: 'month', k: 'enterprise', p: "2026-01-01'::date; --" }),
  trendCursorOf({ g: 'segment', i: 'month', k: 'a\u0000b', p: '2026-01-01' }),
  trendCursorOf({ g: 'segment', i: 'month', k: null, p: '2026-01-01' }),
  trendCursorOf({ g: 'account', i: 'month', k: 'enterprise', p: '2026-01-01' }),
  trendCursorOf({ g: 'segment', i: 'week', k: 'enterprise', p: '2026-01-01' }),
  cursorOf('-churnRisk', '1'),
];

/** GET routes of the OpenAPI document, with their path and query parameters. */
async function getRoutes(api: RunningApi): Promise<Array<{ path: string; parameters: OpenApiParameter[] }>> {
  const { body: document } = await api.http().get('/docs-json').expect(200);
  return Object.entries(document.paths as Record<string, { get?: { parameters?: OpenApiParameter[] } }>)
    .filter(([, methods]) => methods.get !== undefined)
    .map(([path, methods]) => ({ path, parameters: (methods.get!.parameters ?? []).filter((parameter) => parameter.in !== 'header') }));
}

/** Property: whatever a query string or path segment holds, a read answers 2xx–4xx, and a 4xx in the error shape. */
describe.each<Backend>(['embedded', 'postgres'])('bad input to every read route (%s)', (backend) => {
  let api: RunningApi;
  let accountId: string;
  beforeAll(async () => {
    api = await startApi(backend, {}, { roles: ['http', 'projections'] });
    accountId = await prepareAccount(api);
    await eventually('the account health row', async () => (await api.http().get(`/v1/health/${accountId}`)).status, (status) => status === 200);
  });
  afterAll(() => api.close());

  const expectNoServerError = async (url: string) => {
    const response = await api.http().get(url);
    if (response.status >= 500) throw new Error(`GET ${url.slice(0, 200)} answered ${response.status}: ${response.text.slice(0, 300)}`);
    if (response.status >= 400) expect(response.body).toMatchObject({ statusCode: response.status, error: expect.any(String), message: expect.any(String) });
    return response;
  };

  it('never answers a 5xx for any value of any parameter, one at a time or given twice', async () => {
    const routes = await getRoutes(api);
    expect(routes.map((route) => route.path)).toEqual(expect.arrayContaining(['/v1/health', '/v1/health/{accountId}', '/v1/escalations']));
    let requests = 0;
    for (const { path, parameters } of routes) {
      const pathOf = (values: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_match, name: string) => values[name] ?? accountId);
      for (const parameter of parameters) {
        for (const value of NASTY) {
          const url = parameter.in === 'path' ? pathOf({ [parameter.name]: value || '%20' }) : `${pathOf({})}?${parameter.name}=${value}`;
          await expectNoServerError(url);
          requests += 1;
        }
        if (parameter.in === 'query') await expectNoServerError(`${pathOf({})}?${parameter.name}=1&${parameter.name}=2`);
      }
    }
    expect(requests).toBeGreaterThan(200);
  });

  it('answers a forged health-list cursor with 400 INVALID_CURSOR naming the cursor, for every kind of sort value', async () => {
    for (const [sort, cursor] of FORGED_CURSORS) {
      const response = await expectNoServerError(`/v1/health?sort=${sort}&cursor=${cursor}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'INVALID_CURSOR', message: expect.stringContaining('cursor') });
    }
  });

  it('answers a forged satisfaction-trends cursor with 400 INVALID_CURSOR naming the cursor, as JSON and CSV', async () => {
    for (const cursor of FORGED_TREND_CURSORS) {
      for (const accept of ['application/json', 'text/csv']) {
        const response = await api.http().get(`/v1/satisfaction/trends?groupBy=segment&interval=month&cursor=${cursor}`).set('Accept', accept);
        if (response.status >= 500) throw new Error(`cursor ${cursor} answered ${response.status}: ${response.text.slice(0, 300)}`);
        expect({ cursor, status: response.status }).toEqual({ cursor, status: 400 });
        expect(response.body).toMatchObject({ code: 'INVALID_CURSOR', field: 'cursor', message: expect.stringContaining('cursor') });
      }
    }
  });
});
