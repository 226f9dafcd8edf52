import { bgnbdLogLikelihood, fitBgNbd, fitGammaGamma, sbgLogLikelihood } from '@ahe/analytics';
import { simulateBgNbd } from '../../../analytics/src/testing/simulate-bgnbd';
import { fitLtvModels } from './ltv-fit';
import type { LtvObservation } from './ltv.types';

const META = { asOf: new Date('2025-01-01T00:00:00.000Z'), axis: 'occurred' as const, position: 42 };

/** The published cohorts (Fader & Hardie 2007): % still active at the start of years 0–7, 1000 customers each. */
const PUBLISHED = { regular: [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1], 'high end': [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1] };

/** One observation per customer: churned at the renewal decision of the year survivors dropped, the rest censored. */
function cohort(segment: string, percentAlive: readonly number[]): LtvObservation[] {
  const survivors = percentAlive.map((percent) => Math.round(percent * 10));
  const customers: LtvObservation[] = [];
  survivors.slice(1).forEach((alive, year) => {
    for (let churned = 0; churned < survivors[year]! - alive; churned++) customers.push({ kind: 'contractual', segment, sbg: { renewals: year, churned: true } });
  });
  for (let alive = 0; alive < survivors.at(-1)!; alive++) customers.push({ kind: 'contractual', segment, sbg: { renewals: survivors.length - 1, churned: false } });
  return customers;
}

describe('fitLtvModels', () => {
  const customers = [...cohort('regular', PUBLISHED.regular), ...cohort('high end', PUBLISHED['high end'])];

  it('fits sBG per segment, segments in order, and gets the published parameters back', () => {
    const models = fitLtvModels(customers, META);
    expect(models.sbg.map((fit) => fit.segment)).toEqual(['high end', 'regular']);
    const [highEnd, regular] = models.sbg;
    expect(regular).toMatchObject({ n: 1000, alpha: expect.closeTo(0.704, 2), beta: expect.closeTo(1.182, 2) });
    expect(highEnd).toMatchObject({ n: 1000, alpha: expect.closeTo(0.668, 2), beta: expect.closeTo(3.806, 1) });
    // Counting identical customers once with a weight must not change the likelihood reported.
    const regularData = customers.flatMap((customer) => (customer.kind === 'contractual' && customer.segment === 'regular' ? [customer.sbg] : []));
    expect(regular!.logLikelihood).toBeCloseTo(sbgLogLikelihood(regular!, regularData), 6);
  });

  it('fits no sBG for a segment in which nobody has churned yet, so its contracts fall back to their remaining term', () => {
    const loyal: LtvObservation[] = Array.from({ length: 3 }, () => ({ kind: 'contractual', segment: 'loyal', sbg: { renewals: 1, churned: false } }));
    const models = fitLtvModels([...loyal, ...cohort('regular', PUBLISHED.regular)], META);
    expect(models.sbg.map((fit) => fit.segment)).toEqual(['regular']);
    expect(models.rejected).toEqual([{ model: 'sbg', segment: 'loyal', reason: expect.stringMatching(/no customer of the segment has churned yet \(3 observed\)/) }]);
  });

  it('says which data and instant the fit is of, and leaves out models without data', () => {
    const models = fitLtvModels([...customers, { kind: 'none' }], META);
    expect(models).toMatchObject({ asOf: '2025-01-01T00:00:00.000Z', axis: 'occurred', position: 42, fitId: '42@2025-01-01T00:00:00.000Z', bgnbd: null, gammaGamma: null });
    expect(fitLtvModels([], META)).toEqual({ ...models, sbg: [] });
    // A segment where nobody has faced a renewal decision yet has nothing to fit.
    expect(fitLtvModels([{ kind: 'contractual', segment: 'new', sbg: { renewals: 0, churned: false } }], META).sbg).toEqual([]);
  });

  it('fits BG/NBD and Gamma-Gamma on every purchase stream, whatever its segment', () => {
    // Whole days, as the observations have them: many customers share (x, tx, T).
    const streams = simulateBgNbd({ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, { customers: 600, minT: 10, maxT: 40, seed: 11 }).map(({ observation }) => {
      const T = Math.round(observation.T * 7) / 7;
      return { x: observation.x, tx: Math.min(Math.round(observation.tx * 7) / 7, T), T };
    });
    const observations: LtvObservation[] = streams.map((bgnbd, index) => ({
      kind: 'purchases',
      segment: index % 2 === 0 ? 'smb' : 'mid',
      bgnbd,
      spend: bgnbd.x === 0 ? null : { x: bgnbd.x, meanValue: 20 + (index % 7) * 5 + bgnbd.x },
    }));
    const models = fitLtvModels(observations, META);
    const direct = fitBgNbd(streams)!;
    expect(models.bgnbd).toMatchObject({ n: 600, r: expect.closeTo(direct.params.r, 3), alpha: expect.closeTo(direct.params.alpha, 2) });
    expect(models.bgnbd!.logLikelihood).toBeCloseTo(bgnbdLogLikelihood(models.bgnbd!, streams), 6);
    const spends = observations.flatMap((observation) => (observation.kind === 'purchases' && observation.spend !== null ? [observation.spend] : []));
    expect(models.gammaGamma).toMatchObject({ n: spends.length, logLikelihood: expect.closeTo(fitGammaGamma(spends)!.logLikelihood, 4) });
    expect(models.sbg).toEqual([]);
  });
});
