import type { RunningApi } from '../api-harness';
import { caughtUp, startQueriesApi } from './queries-harness';

const KEYS = { writer: 'w-q-1', analyst: 'a-q-1', auditor: 'u-q-1', admin: 'root-q-1' };
const bearer = (key: string) => `Bearer ${key}`;

describe('roles on the query and projection routes', () => {
  let api: RunningApi;
  const accountId = `roles-${Date.now().toString(36)}`;
  const queries = [
    `/v1/health/${accountId}`, `/v1/health/${accountId}/history`, '/v1/health', '/v1/satisfaction/trends', '/v1/portfolio',
  ];

  beforeAll(async () => {
    api = await startQueriesApi('embedded', { API_KEYS: Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',') });
    await api.http().post('/v1/accounts').set('Authorization', bearer(KEYS.writer))
      .send({ accountId, name: 'Roles', segment: 'smb', managerId: 'mgr-r', currency: 'EUR' }).expect(201);
    await caughtUp(api);
  });
  afterAll(() => api?.close());

  it('lets analysts and admins query, and answers 403 to writers, 401 without a key', async () => {
    for (const path of queries) {
      for (const key of [KEYS.analyst, KEYS.admin]) await api.http().get(path).set('Authorization', bearer(key)).expect(200);
      const forbidden = await api.http().get(path).set('Authorization', bearer(KEYS.writer)).expect(403);
      expect(forbidden.body.message).toMatch(/needs the role analyst or (auditor or )?admin/);
      await api.http().get(path).expect(401);
    }
  });

  it('keeps the projection routes to admins', async () => {
    await api.http().get('/v1/projections').set('Authorization', bearer(KEYS.admin)).expect(200);
    for (const key of [KEYS.analyst, KEYS.writer, KEYS.auditor]) {
      await api.http().get('/v1/projections').set('Authorization', bearer(key)).expect(403);
      await api.http().post('/v1/projections/account_health/rebuild').set('Authorization', bearer(key)).expect(403);
    }
    await api.http().post('/v1/projections/account_health/rebuild').expect(401);
  });

  it('documents the query and projection routes and their parameters at /docs-json', async () => {
    const { body: document } = await api.http().get('/docs-json').expect(200);
    const parameters = (path: string) => (document.paths[path]?.get?.parameters ?? []).map((parameter: { name: string }) => parameter.name);
    expect(parameters('/v1/health')).toEqual(expect.arrayContaining(['band', 'managerId', 'segment', 'status', 'minRisk', 'maxRisk', 'sort', 'limit', 'cursor']));
    expect(parameters('/v1/health/{accountId}/history')).toEqual(expect.arrayContaining(['accountId', 'from', 'to', 'interval']));
    expect(parameters('/v1/satisfaction/trends')).toEqual(expect.arrayContaining(['groupBy', 'interval', 'key', 'from', 'to']));
    expect(parameters('/v1/portfolio')).toEqual(['groupBy']);
    expect(parameters('/v1/health/{accountId}')).toEqual(['accountId', 'asOf', 'axis']);
    expect(document.paths['/v1/health'].get.responses['200'].content).toHaveProperty(['text/csv']);
    expect(document.paths['/v1/projections'].get).toMatchObject({ security: [{ bearer: [] }] });
    expect(document.paths['/v1/projections/{name}/rebuild'].post.responses).toHaveProperty(['202']);
    expect(document.components.schemas.AccountHealthViewDto.properties).toHaveProperty(['churnRisk']);
  });
});
