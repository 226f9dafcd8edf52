import { describeExportRoute } from './export.api-contract';
import { startAuditApi, type AuditApi } from './trail.harness';

describe('GET /v1/accounts/:accountId/export on the embedded store', () => {
  let api: AuditApi;
  beforeAll(async () => (api = await startAuditApi('embedded')));
  afterAll(() => api.close());

  describeExportRoute(() => api);
});
