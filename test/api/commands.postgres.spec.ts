import { startApi, type RunningApi } from './api-harness';
import { describeBadInput } from './bad-input.api-contract';
import { describeConcurrency } from './concurrency.api-contract';
import { describeEventsRoute } from './events-route.api-contract';
import { describeAcceptedCommands } from './routes.api-contract';

describe('command API on PostgreSQL, in a schema of its own', () => {
  let api: RunningApi;
  beforeAll(async () => (api = await startApi('postgres')));
  afterAll(() => api.close());

  describe('accepted commands', () => describeAcceptedCommands(() => api));
  describe('bad input', () => describeBadInput(() => api));
  describe('concurrency and idempotency', () => describeConcurrency(() => api));
  describe('GET /v1/accounts/:accountId/events', () => describeEventsRoute(() => api));
});
