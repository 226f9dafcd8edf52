import { fitSbg } from '@ahe/analytics';
import { ndjson } from '../../import-importer.cases';
import { ERROR_SHAPE, type RunningApi } from '../api-harness';
import { AFTER_SEVENTH_DECISION, COHORTS, cohortImportLines, cohortObservationsAsOf } from './sbg-cohorts';

type Fit = { segment: string; alpha: number; beta: number; n: number; logLikelihood: number };

/** Imports the published sBG cohorts as accounts through POST /v1/import. */
export async function importCohorts(api: RunningApi, prefix: string): Promise<void> {
  const response = await api.http().post('/v1/import').set('Content-Type', 'application/x-ndjson').send(ndjson(cohortImportLines(prefix)));
  expect(response.status).toBe(200);
  expect(response.body.accounts).toBe(2_000);
}

/**
 * The published fits recovered: the optimum of the likelihood on counts rounded to whole
 * customers, so within a few thousandths of the printed three decimals (β of "high end" is the
 * flattest direction of its likelihood, hence its wider margin).
 */
export function expectPublishedFits(sbg: readonly Fit[]): void {
  expect(sbg.map((fit) => fit.segment)).toEqual(['high end', 'regular']);
  for (const cohort of COHORTS) {
    const fit = sbg.find((candidate) => candidate.segment === cohort.segment)!;
    expect(fit.n).toBe(1_000);
    expect(Math.abs(fit.alpha - cohort.alpha)).toBeLessThan(0.005);
    expect(Math.abs(fit.beta - cohort.beta)).toBeLessThan(cohort.segment === 'regular' ? 0.01 : 0.03);
    expect(fit.logLikelihood).toBeLessThan(0);
  }
}

/** GET /v1/ltv/models?asOf=: the fits reproduced from the history as of any instant, on either axis. Expects the cohorts imported. */
export function describeLtvModelsAsOf(api: () => RunningApi, importedBefore: () => string): void {
  const models = async (query: string) => (await api().http().get(`/v1/ltv/models?${query}`).expect(200)).body;

  it('fits the published sBG example per segment as of after the seventh renewal decision', async () => {
    const body = await models(`asOf=${AFTER_SEVENTH_DECISION}`);
    expect(body).toMatchObject({ asOf: AFTER_SEVENTH_DECISION, axis: 'occurred', bgnbd: null, gammaGamma: null, fitId: expect.any(String) });
    expectPublishedFits(body.sbg);
  });

  it('reproduces the fit of an earlier date: later decisions unknown, those customers still in their term', async () => {
    const asOf = '2018-06-01T00:00:00.000Z';
    const body = await models(`asOf=2018-06-01&axis=occurred`);
    expect(body.asOf).toBe(asOf);
    for (const cohort of COHORTS) {
      const expected = fitSbg(cohortObservationsAsOf(cohort, asOf))!;
      const fit = body.sbg.find((candidate: Fit) => candidate.segment === cohort.segment);
      expect(fit.logLikelihood).toBeCloseTo(expected.logLikelihood, 4);
      expect(fit.alpha).toBeCloseTo(expected.params.alpha, 3);
      expect(fit.beta).toBeCloseTo(expected.params.beta, 3);
    }
  });

  it('fits on what had been recorded by asOf on the recorded axis', async () => {
    expect(await models(`asOf=${importedBefore()}&axis=recorded`)).toMatchObject({ axis: 'recorded', sbg: [], bgnbd: null, gammaGamma: null });
    expectPublishedFits((await models(`asOf=${new Date().toISOString()}&axis=recorded`)).sbg);
  });

  it.each([
    ['asOf=yesterday', 'asOf'], ['asOf=2025-02-30', 'asOf'], ['asOf=2025-01-01T00:00:00', 'asOf'], ['asOf=2999-01-01', 'asOf'],
    ['axis=sideways', 'axis'], ['asOf=2025-01-01&axis=', 'axis'], ['horizonDays=3', 'horizonDays'],
  ])('answers 400 naming the parameter for ?%s', async (query, field) => {
    const response = await api().http().get(`/v1/ltv/models?${query}`).expect(400);
    expect(response.body).toMatchObject({ ...ERROR_SHAPE, field });
  });
}
