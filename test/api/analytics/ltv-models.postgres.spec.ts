import { startApi, type RunningApi } from '../api-harness';
import { caughtUp, startQueriesApi } from '../queries/queries-harness';
import { describeLtvModelsAsOf, expectPublishedFits, importCohorts } from './ltv-models.api-contract';

jest.setTimeout(180_000);

describe('GET /v1/ltv/models on PostgreSQL', () => {
  let api: RunningApi;
  let importedBefore = '';
  beforeAll(async () => {
    api = await startQueriesApi('postgres', { LTV_REFIT_INTERVAL_MS: '200' });
    importedBefore = new Date(Date.now() - 1_000).toISOString();
    await importCohorts(api, 'sbg');
  });
  afterAll(() => api?.close());

  describe('as of an instant', () => describeLtvModelsAsOf(() => api, () => importedBefore));

  it('serves the fit of the ltv_models read model once the projector has refitted', async () => {
    await caughtUp(api);
    let body: { axis: string; position: number; sbg: { segment: string; alpha: number; beta: number; n: number; logLikelihood: number }[] };
    const deadline = Date.now() + 60_000;
    do {
      body = (await api.http().get('/v1/ltv/models').expect(200)).body;
      // A refit may land mid-import; wait for the one that covers every imported account.
      if (body.axis === 'recorded' && body.sbg.length === 2 && body.sbg.every((fit) => fit.n === 1_000)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } while (Date.now() < deadline);
    expect(body).toMatchObject({ axis: 'recorded', bgnbd: null, gammaGamma: null });
    expectPublishedFits(body.sbg);
  });
});

describe('GET /v1/ltv/models in server mode before any projector has run', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi('postgres');
    await importCohorts(api, 'sbg-np');
  });
  afterAll(() => api?.close());

  it('fits on the log as of now', async () => {
    const before = Date.now();
    const body = (await api.http().get('/v1/ltv/models').expect(200)).body;
    expect(Date.parse(body.asOf)).toBeGreaterThanOrEqual(before);
    expectPublishedFits(body.sbg);
  });
});
