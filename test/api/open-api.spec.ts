import { startApi, type RunningApi } from './api-harness';

describe('OpenAPI', () => {
  let api: RunningApi;
  beforeAll(async () => (api = await startApi('embedded', { API_KEYS: 'writer:w1' })));
  afterAll(() => api.close());

  it('documents every command route, its body and the bearer scheme at /docs-json', async () => {
    const { body: document } = await api.http().get('/docs-json').expect(200);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const routes = [
      ['post', '/v1/accounts'], ['put', '/v1/accounts/{accountId}/manager'], ['post', '/v1/accounts/{accountId}/contacts'],
      ['post', '/v1/accounts/{accountId}/complaints'], ['post', '/v1/accounts/{accountId}/complaints/{complaintId}/resolution'],
      ['post', '/v1/accounts/{accountId}/surveys'], ['post', '/v1/accounts/{accountId}/invoices'],
      ['post', '/v1/accounts/{accountId}/invoices/{invoiceId}/payments'], ['post', '/v1/accounts/{accountId}/renewals'],
      ['post', '/v1/accounts/{accountId}/expansions'], ['post', '/v1/accounts/{accountId}/closure'], ['get', '/v1/accounts/{accountId}/events'],
    ] as const;
    for (const [method, path] of routes) {
      expect(document.paths[path]?.[method]).toMatchObject({ security: [{ bearer: [] }] });
    }
    const open = document.components.schemas.OpenAccountDto;
    expect(open.required).toEqual(expect.arrayContaining(['name', 'segment', 'managerId', 'currency']));
    expect(open.properties.contract.$ref ?? open.properties.contract.allOf?.[0]?.$ref).toBe('#/components/schemas/ContractDto');
    expect(document.paths['/v1/accounts'].post.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['Idempotency-Key', 'If-Match']),
    );
  });

  it('serves the UI at /docs without a key', async () => {
    const response = await api.http().get('/docs').redirects(1);
    expect(response.status).toBe(200);
    expect(response.text).toContain('swagger-ui');
  });
});
