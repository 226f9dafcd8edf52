import type { RunningApi } from '../api-harness';
import { caughtUp } from '../queries/queries-harness';
import { importEscalations, startEscalationsApi } from './escalations-api.harness';

jest.setTimeout(120_000);

const KEYS = { writer: 'w-esc-1', analyst: 'a-esc-1', auditor: 'u-esc-1', admin: 'root-esc-1' };
const bearer = (key: string) => `Bearer ${key}`;

describe('roles on the escalation routes, and their OpenAPI description', () => {
  let api: RunningApi;
  const accountId = `esc-roles-${Date.now().toString(36)}`;
  const reads = ['/v1/escalations', `/v1/escalations?accountId=${accountId}`, '/v1/escalations/esc-roles-1'];

  beforeAll(async () => {
    api = await startEscalationsApi('embedded', { API_KEYS: Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',') });
    await api.http().post('/v1/accounts').set('Authorization', bearer(KEYS.writer))
      .send({ accountId, name: 'Roles', segment: 'smb', managerId: 'mgr-r', currency: 'EUR', occurredAt: '2025-01-01T00:00:00Z' }).expect(201);
    await importEscalations(api, ['esc-roles-1', 'esc-roles-2'].map((escalationId) => ({ accountId, escalationId, rule: 'band-red', occurredAt: '2025-02-01T00:00:00Z' })), bearer(KEYS.admin));
    await caughtUp(api);
  });
  afterAll(() => api?.close());

  it('lets analysts and admins read, and answers 403 to writers and auditors, 401 without a key', async () => {
    for (const path of reads) {
      for (const key of [KEYS.analyst, KEYS.admin]) await api.http().get(path).set('Authorization', bearer(key)).expect(200);
      for (const key of [KEYS.writer, KEYS.auditor]) {
        const forbidden = await api.http().get(path).set('Authorization', bearer(key)).expect(403);
        expect(forbidden.body.message).toMatch(/needs the role analyst or admin/);
      }
      await api.http().get(path).expect(401);
    }
  });

  it('lets writers and admins act, records the key as the acknowledger, and refuses analysts (403) and anonymous callers (401)', async () => {
    for (const action of ['acknowledgement', 'resolution']) {
      const path = `/v1/escalations/esc-roles-1/${action}`;
      for (const key of [KEYS.analyst, KEYS.auditor]) await api.http().post(path).set('Authorization', bearer(key)).send({ resolution: 'x' }).expect(403);
      await api.http().post(path).send({ resolution: 'x' }).expect(401);
    }
    const acknowledged = await api.http().post('/v1/escalations/esc-roles-1/acknowledgement').set('Authorization', bearer(KEYS.writer)).send({}).expect(201);
    const [event] = await api.store.readStream(`account-${accountId}`, { fromRevision: acknowledged.body.revision });
    expect((event!.data as { by: string }).by).toMatch(/^writer:[0-9a-f]{12}$/);
    expect(event!.metadata.actor).toBe((event!.data as { by: string }).by);
    await api.http().post('/v1/escalations/esc-roles-2/resolution').set('Authorization', bearer(KEYS.admin)).send({ resolution: 'Closed by an admin' }).expect(201);
  });

  it('documents the routes, their parameters and answers at /docs-json', async () => {
    const { body: document } = await api.http().get('/docs-json').expect(200);
    const parameters = (path: string, method: string) => (document.paths[path]?.[method]?.parameters ?? []).map((parameter: { name: string }) => parameter.name);
    expect(parameters('/v1/escalations', 'get')).toEqual(expect.arrayContaining(['status', 'accountId', 'rule', 'managerId', 'limit', 'cursor']));
    expect(parameters('/v1/escalations/{escalationId}', 'get')).toEqual(['escalationId']);
    expect(parameters('/v1/escalations/{escalationId}/acknowledgement', 'post')).toEqual(expect.arrayContaining(['escalationId', 'Idempotency-Key', 'If-Match']));
    const resolution = document.paths['/v1/escalations/{escalationId}/resolution'].post;
    expect(Object.keys(resolution.responses)).toEqual(expect.arrayContaining(['201', '400', '404', '409']));
    expect(resolution.responses['201'].content['application/json'].schema.$ref).toMatch(/EscalationCommandResponseDto$/);
    expect(document.components.schemas.EscalationViewDto.properties).toHaveProperty(['acknowledgedBy']);
    expect(document.components.schemas.ResolveEscalationDto.required).toEqual(['resolution']);
  });
});
