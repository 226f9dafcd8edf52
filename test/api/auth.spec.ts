import { openAccountBody, startApi, freshAccountId, type RunningApi } from './api-harness';

const KEYS = { writer: 'w-secret-1', analyst: 'a-secret-1', auditor: 'u-secret-1', admin: 'root-secret-1' };
const bearer = (key: string) => `Bearer ${key}`;
const contact = { channel: 'call', direction: 'outbound', summary: 'Check-in' };

describe('API keys and roles', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi('embedded', { API_KEYS: Object.entries(KEYS).map(([role, key]) => `${role}:${key}`).join(',') });
  });
  afterAll(() => api.close());

  it('answers 401 without a key, with a malformed header, and with an unknown key', async () => {
    for (const header of [undefined, 'w-secret-1', 'Basic dzpzZWNyZXQ=', 'Bearer nope']) {
      const call = api.http().post('/v1/accounts');
      const response = await (header ? call.set('Authorization', header) : call).send(openAccountBody(freshAccountId()));
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/API key/) });
    }
  });

  it('lets writers and admins write, and answers 403 to analysts and auditors', async () => {
    const accountId = freshAccountId('auth');
    await api.http().post('/v1/accounts').set('Authorization', bearer(KEYS.writer)).send(openAccountBody(accountId)).expect(201);
    await api.http().post(`/v1/accounts/${accountId}/contacts`).set('Authorization', bearer(KEYS.admin)).send(contact).expect(201);
    for (const key of [KEYS.analyst, KEYS.auditor]) {
      const response = await api.http().post(`/v1/accounts/${accountId}/contacts`).set('Authorization', bearer(key)).send(contact).expect(403);
      expect(response.body.message).toMatch(/needs the role writer or admin/);
    }
    expect(await api.store.streamRevision(`account-${accountId}`)).toBe(1);
  });

  it('lets auditors, analysts and admins read the events, not writers', async () => {
    const accountId = freshAccountId('read');
    await api.http().post('/v1/accounts').set('Authorization', bearer(KEYS.writer)).send(openAccountBody(accountId)).expect(201);
    for (const key of [KEYS.auditor, KEYS.analyst, KEYS.admin]) {
      await api.http().get(`/v1/accounts/${accountId}/events`).set('Authorization', bearer(key)).expect(200);
    }
    await api.http().get(`/v1/accounts/${accountId}/events`).set('Authorization', bearer(KEYS.writer)).expect(403);
    await api.http().get(`/v1/accounts/${accountId}/events`).expect(401);
  });

  it('records the role and a key id, never the key, as the actor', async () => {
    const accountId = freshAccountId('actor');
    await api.http().post('/v1/accounts').set('Authorization', bearer(KEYS.writer)).send(openAccountBody(accountId)).expect(201);
    const [event] = await api.store.readStream(`account-${accountId}`);
    expect(event!.metadata.actor).toMatch(/^writer:[0-9a-f]{12}$/);
    expect(JSON.stringify(event)).not.toContain(KEYS.writer);
  });

  it('keeps health, metrics and the OpenAPI docs open', async () => {
    await api.http().get('/health/live').expect(200);
    await api.http().get('/health/ready').expect(200);
    await api.http().get('/metrics').expect(200);
    await api.http().get('/docs-json').expect(200);
  });

  it('scopes Idempotency-Keys to the API key that sent them', async () => {
    const accountId = freshAccountId('scope');
    await api.http().post('/v1/accounts').set('Authorization', bearer(KEYS.writer)).send(openAccountBody(accountId)).expect(201);
    const path = `/v1/accounts/${accountId}/contacts`;
    await api.http().post(path).set('Authorization', bearer(KEYS.writer)).set('Idempotency-Key', 'shared').send(contact).expect(201);
    const other = await api.http().post(path).set('Authorization', bearer(KEYS.admin)).set('Idempotency-Key', 'shared').send(contact).expect(201);
    expect(other.headers['idempotent-replay']).toBeUndefined();
    expect(await api.store.streamRevision(`account-${accountId}`)).toBe(2);
  });
});

describe('open mode (no API_KEYS)', () => {
  let api: RunningApi;
  beforeAll(async () => (api = await startApi('embedded')));
  afterAll(() => api.close());

  it('serves every route without a key, and ignores whatever key is sent', async () => {
    const accountId = freshAccountId('open');
    await api.http().post('/v1/accounts').send(openAccountBody(accountId)).expect(201);
    await api.http().post(`/v1/accounts/${accountId}/contacts`).set('Authorization', 'Bearer anything').send(contact).expect(201);
    await api.http().get(`/v1/accounts/${accountId}/events`).expect(200);
    const [event] = await api.store.readStream(`account-${accountId}`);
    expect(event!.metadata.actor).toBe('anonymous');
  });
});
