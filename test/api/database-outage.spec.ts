import { freezableProxy, serverOf, throughProxy, type FreezableProxy } from '../support/freezable-proxy';
import { ERROR_SHAPE, freshAccountId, openAccount, startApi, TEST_DATABASE_URL, type RunningApi } from './api-harness';

/**
 * PostgreSQL going silent under a running API (a host gone, a network cut): requests fail fast
 * with a 503 to retry, not a 500 and not a hang, and the API serves again once it answers.
 */
describe('the API while PostgreSQL does not answer', () => {
  let proxy: FreezableProxy;
  let api: RunningApi;

  beforeAll(async () => {
    proxy = await freezableProxy(serverOf(TEST_DATABASE_URL));
    api = await startApi('postgres', { DATABASE_URL: throughProxy(TEST_DATABASE_URL, proxy.port), DATABASE_CONNECT_TIMEOUT_MS: '2000' });
  });

  afterAll(async () => {
    proxy?.thaw();
    await api?.close();
    await proxy?.close();
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After, names no host, and serves again once the database is back', async () => {
    const accountId = await openAccount(api, freshAccountId('outage'));
    const contact = { channel: 'call', direction: 'inbound', summary: 'Checking in' };

    proxy.freeze();
    for (const attempt of [
      () => api.http().post(`/v1/accounts/${accountId}/contacts`).send(contact),
      () => api.http().get(`/v1/accounts/${accountId}/events`),
    ]) {
      const response = await attempt();
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ ...ERROR_SHAPE, statusCode: 503, error: 'Service Unavailable', code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable; retry later' });
      expect(response.headers['retry-after']).toBe('10');
    }

    proxy.thaw();
    const after = await api.http().post(`/v1/accounts/${accountId}/contacts`).send(contact);
    expect(after.status).toBe(201);
    const events = await api.http().get(`/v1/accounts/${accountId}/events`).expect(200);
    // Nothing the outage refused was half-written: the opening and the one contact after it.
    expect((events.body as { items: Array<{ type: string }> }).items.map((event) => event.type)).toEqual(['AccountOpened', 'ContactLogged']);
  }, 60_000);
});
