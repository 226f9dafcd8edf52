import { loadScoringRules, readModelProjections } from '@ahe/read-models';
import { ERROR_SHAPE, type Backend, type RunningApi } from '../api-harness';
import { seedAccounts } from './health-fixtures';
import { caughtUp, startQueriesApi } from './queries-harness';

jest.setTimeout(120_000);

const NAMES = readModelProjections({ rules: loadScoringRules(), healthRefreshIntervalMs: 60_000, ltvRefitIntervalMs: 60_000 }).map((definition) => definition.name);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each<Backend>(['embedded', 'postgres'])('GET /v1/projections and POST /v1/projections/:name/rebuild (%s)', (backend) => {
  let api: RunningApi;
  let head = 0;
  const prefix = `pa${Date.now().toString(36)}`;

  beforeAll(async () => {
    api = await startQueriesApi(backend);
    head = Math.max(...(await seedAccounts(api, prefix, 6)).map((account) => account.position));
    await caughtUp(api);
  });
  afterAll(() => api?.close());

  const statusOf = async (name: string) => {
    const { body } = await api.http().get('/v1/projections').expect(200);
    return body.items.find((item: { name: string }) => item.name === name);
  };

  it('reports every projection, caught up with the log', async () => {
    const { body } = await api.http().get('/v1/projections').expect(200);
    expect(body.items.map((item: { name: string }) => item.name).sort()).toEqual([...NAMES].sort());
    for (const item of body.items) {
      expect(item).toMatchObject({
        name: expect.any(String), version: expect.any(String), generation: expect.any(Number), status: expect.any(String),
        position: head, lag: { events: 0, seconds: expect.any(Number) }, parked: { count: 0, events: [] }, rebuild: null,
      });
    }
  });

  it('rebuilds account_health into a new generation and swaps it in, serving rows all along', async () => {
    const before = await statusOf('account_health');
    const rows = (await api.http().get(`/v1/health?managerId=${prefix}-m0`).expect(200)).body.items;
    const accepted = await api.http().post('/v1/projections/account_health/rebuild').expect(202);
    expect(accepted.body).toMatchObject({ name: 'account_health', status: 'requested' });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const served = (await api.http().get(`/v1/health?managerId=${prefix}-m0`).expect(200)).body.items;
      expect(served.map((item: { accountId: string }) => item.accountId)).toEqual(rows.map((item: { accountId: string }) => item.accountId));
      const now = await statusOf('account_health');
      if (now.generation > before.generation && now.rebuild === null) break;
      if (Date.now() > deadline) throw new Error(`the rebuild never swapped: ${JSON.stringify(now)}`);
      await sleep(100);
    }
    const after = (await api.http().get(`/v1/health?managerId=${prefix}-m0`).expect(200)).body.items;
    const stable = (items: Record<string, unknown>[]) => items.map(({ scoredAt: _scoredAt, ...rest }) => rest);
    expect(stable(after)).toEqual(stable(rows));
  });

  it('answers 404 for an unknown projection and 400 for a malformed name', async () => {
    const unknown = await api.http().post('/v1/projections/no_such_thing/rebuild').expect(404);
    expect(unknown.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 404, code: 'PROJECTION_NOT_FOUND' });
    expect(unknown.body.message).toContain('account_health');
    const bad = await api.http().post('/v1/projections/Bad-Name!/rebuild').expect(400);
    expect(bad.body.field).toBe('name');
  });
});

describe('server mode: an api process on PostgreSQL before any projector has run', () => {
  let api: RunningApi;
  beforeAll(async () => (api = await startQueriesApi('postgres', {}, { projections: false })));
  afterAll(() => api?.close());

  it('answers 503 to queries, lists the projections as stopped, and records a rebuild request', async () => {
    for (const path of ['/v1/health', '/v1/health/acme', '/v1/satisfaction/trends', '/v1/portfolio']) {
      const response = await api.http().get(path).expect(503);
      expect(response.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 503, code: 'READ_MODEL_UNAVAILABLE' });
    }
    const { body } = await api.http().get('/v1/projections').expect(200);
    expect(body.items.map((item: { name: string }) => item.name).sort()).toEqual([...NAMES].sort());
    expect(body.items.every((item: { status: string; generation: number | null }) => item.status === 'stopped' && item.generation === null)).toBe(true);
    const accepted = await api.http().post('/v1/projections/account_health/rebuild').expect(202);
    expect(accepted.body).toMatchObject({ name: 'account_health', status: 'requested', requestId: expect.any(Number) });
  });
});
