import type { RunningApi } from '../api-harness';
import { describeEscalationRoutes } from './escalation-routes.api-contract';
import { startEscalationsApi } from './escalations-api.harness';

jest.setTimeout(120_000);

describe('escalation API on PostgreSQL, in a schema of its own', () => {
  let api: RunningApi;
  beforeAll(async () => (api = await startEscalationsApi('postgres')));
  afterAll(() => api?.close());

  describeEscalationRoutes(() => api);
});

describe('escalation API in server mode before any projector has run', () => {
  let api: RunningApi;
  beforeAll(async () => (api = await startEscalationsApi('postgres', {}, { projections: false })));
  afterAll(() => api?.close());

  it('answers 503 READ_MODEL_UNAVAILABLE on every route, not a 500', async () => {
    const calls = [
      api.http().get('/v1/escalations'),
      api.http().get('/v1/escalations/esc-1'),
      api.http().post('/v1/escalations/esc-1/acknowledgement').send({}),
      api.http().post('/v1/escalations/esc-1/resolution').send({ resolution: 'x' }),
    ];
    for (const call of calls) expect((await call.expect(503)).body.code).toBe('READ_MODEL_UNAVAILABLE');
  });
});
