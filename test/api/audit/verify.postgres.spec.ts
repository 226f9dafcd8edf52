import { startAuditApi, type AuditApi } from './trail.harness';
import { describeVerifyRoute } from './verify.api-contract';

describe('GET /v1/accounts/:accountId/verify on PostgreSQL', () => {
  let api: AuditApi;
  beforeAll(async () => (api = await startAuditApi('postgres')));
  afterAll(() => api.close());

  describeVerifyRoute(() => api);
});
