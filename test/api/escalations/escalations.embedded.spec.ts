import type { RunningApi } from '../api-harness';
import { describeEscalationRoutes } from './escalation-routes.api-contract';
import { startEscalationsApi } from './escalations-api.harness';

jest.setTimeout(120_000);

describe('escalation API on the embedded store (in memory)', () => {
  let api: RunningApi;
  beforeAll(async () => (api = await startEscalationsApi('embedded')));
  afterAll(() => api?.close());

  describeEscalationRoutes(() => api);
});
