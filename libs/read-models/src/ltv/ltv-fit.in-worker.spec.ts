import { generatePortfolio } from '@ahe/demo';
import type { FoldableEvent } from '@ahe/domain';
import { fitLtvModels } from './ltv-fit';
import { fitLtvModelsInWorker } from './ltv-fit.in-worker';
import { evolveLtvHistory, initialLtvHistory } from './ltv-history';
import { observeLtv } from './ltv-observation';
import type { LtvHistory, LtvObservation } from './ltv.types';

const AT = new Date('2026-11-29T17:00:00.000Z');
const META = { asOf: AT, axis: 'recorded' as const, position: 7 };

/** Every account of a deterministic demo portfolio as the fits see it at AT. */
function demoObservations(): LtvObservation[] {
  const histories = new Map<string, LtvHistory>();
  for (const { accountId, type, data, occurredAt } of generatePortfolio({ accounts: 120, years: 3, seed: 42, endsAt: '2026-11-29T00:00:00.000Z' })) {
    histories.set(accountId, evolveLtvHistory(histories.get(accountId) ?? initialLtvHistory(), { type, data, occurredAt } as FoldableEvent));
  }
  return [...histories.values()].map((history) => observeLtv(history, AT));
}

describe('fitLtvModelsInWorker', () => {
  it('fits on a worker thread exactly what fitLtvModels fits on this one, to the last digit', async () => {
    const observations = demoObservations();
    const here = fitLtvModels(observations, META);
    expect(here.sbg.length + (here.bgnbd === null ? 0 : 1)).toBeGreaterThan(1);
    expect(await fitLtvModelsInWorker(observations, META)).toStrictEqual(here);
  });

  it('rejects with the fit error when the data cannot be fitted, and the next fit works', async () => {
    const bad = [{ kind: 'purchases', segment: 'smb', bgnbd: null, spend: null }] as unknown as LtvObservation[];
    // The worker's TypeError is of another realm: its name and message come across.
    await expect(fitLtvModelsInWorker(bad, META)).rejects.toMatchObject({ name: 'TypeError', message: expect.stringContaining("reading 'x'") });
    expect(await fitLtvModelsInWorker([], META)).toStrictEqual(fitLtvModels([], META));
  });
});
