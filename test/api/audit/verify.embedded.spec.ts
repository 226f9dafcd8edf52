import { startAuditApi, type AuditApi } from './trail.harness';
import { describeVerifyRoute } from './verify.api-contract';

describe('GET /v1/accounts/:accountId/verify on the embedded store', () => {
  let api: AuditApi;
  beforeAll(async () => (api = await startAuditApi('embedded')));
  afterAll(() => api.close());

  describeVerifyRoute(() => api);
});
