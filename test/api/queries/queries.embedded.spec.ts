import type { RunningApi } from '../api-harness';
import { describeHealthCurrency } from './health-currency.api-contract';
import { describeHealthPages } from './health-pages.api-contract';
import { describeHealthRoutes } from './health-routes.api-contract';
import { startQueriesApi } from './queries-harness';
import { describeRollupRoutes } from './rollup-routes.api-contract';
import { describeTrendPages } from './trend-pages.api-contract';

jest.setTimeout(120_000);

describe('query API on the embedded store (in memory)', () => {
  let api: RunningApi;
  beforeAll(async () => (api = await startQueriesApi('embedded')));
  afterAll(() => api?.close());

  describe('GET /v1/health/:accountId and GET /v1/health', () => describeHealthRoutes(() => api));
  describe('paging, CSV and concurrent writes', () => describeHealthPages(() => api));
  describe('history, satisfaction trends and portfolio', () => describeRollupRoutes(() => api));
  describe('the currency filter of GET /v1/health', () => describeHealthCurrency(() => api));
  describe('paging of GET /v1/satisfaction/trends', () => describeTrendPages(() => api));
});
