import type { RunningApi } from '../api-harness';
import { startQueriesApi } from '../queries/queries-harness';
import { backtestOf, DEMO_AS_OF, expectConsistentCounts, openedBy, seedDemo } from './backtest.api-contract';

jest.setTimeout(180_000);

const KEYS = { writer: 'w-an-1', analyst: 'a-an-1', auditor: 'u-an-1', admin: 'root-an-1' };
const bearer = (key: string) => `Bearer ${key}`;
const DEMO = { accounts: 150, years: 2, seed: 5 } as const;

describe('analytics routes on the embedded store (in memory)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startQueriesApi('embedded', { API_KEYS: Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',') });
    await seedDemo(api, DEMO);
  });
  afterAll(() => api?.close());

  const get = (path: string, key = KEYS.analyst) => api.http().get(path).set('Authorization', bearer(key));

  it('fits every model on the demo portfolio as of a past instant', async () => {
    const { body } = await get(`/v1/ltv/models?asOf=${DEMO_AS_OF}`).expect(200);
    expect(body).toMatchObject({ asOf: DEMO_AS_OF, axis: 'occurred', position: expect.any(Number) });
    expect(body.sbg.length).toBeGreaterThan(0);
    for (const fit of [...body.sbg, body.bgnbd, body.gammaGamma]) {
      expect(fit.n).toBeGreaterThan(0);
      expect(Number.isFinite(fit.logLikelihood)).toBe(true);
    }
  });

  it('backtests the demo portfolio with the counts behind each figure', async () => {
    const body = await backtestOf(api, bearer(KEYS.analyst));
    expect(body).toMatchObject({ asOf: DEMO_AS_OF, horizonDays: 180, axis: 'occurred', auc: expect.any(Number) });
    expectConsistentCounts(body, openedBy(DEMO, DEMO_AS_OF));
  });

  it('lets analysts and admins in, and answers 403 to writers and auditors, 401 without a key', async () => {
    for (const path of ['/v1/ltv/models?asOf=2025-01-01', `/v1/analytics/backtest?asOf=${DEMO_AS_OF}&horizonDays=30`]) {
      for (const key of [KEYS.analyst, KEYS.admin]) await get(path, key).expect(200);
      for (const key of [KEYS.writer, KEYS.auditor]) {
        const forbidden = await get(path, key).expect(403);
        expect(forbidden.body.message).toMatch(/needs the role analyst or admin/);
      }
      await api.http().get(path).expect(401);
    }
  });

  it('documents both routes and their parameters at /docs-json', async () => {
    const { body: document } = await get('/docs-json').expect(200);
    const parameters = (path: string) => (document.paths[path]?.get?.parameters ?? []).map((parameter: { name: string }) => parameter.name);
    expect(parameters('/v1/ltv/models')).toEqual(['asOf', 'axis']);
    expect(parameters('/v1/analytics/backtest')).toEqual(['asOf', 'horizonDays', 'axis']);
    expect(document.paths['/v1/analytics/backtest'].get).toMatchObject({ security: [{ bearer: [] }] });
    expect(document.components.schemas.BacktestDto.properties).toHaveProperty(['liftByDecile']);
    expect(document.components.schemas.LtvModelsDto.properties).toHaveProperty(['sbg']);
  });
});
