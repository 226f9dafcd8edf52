import { fitLtvModels } from '../ltv/ltv-fit';
import { fitLtvModelsInWorker } from '../ltv/ltv-fit.in-worker';
import { observeLtv } from '../ltv/ltv-observation';
import type { LtvModels } from '../ltv/ltv.types';
import type { PortfolioReplay } from './portfolio-replay';

/**
 * The LTV models fitted on the portfolio as it stood at the replay's instant: what the
 * ltv_models projection would have stored had it refitted then, so any past fit can be reproduced.
 */
export function ltvModelsAsOf(replay: PortfolioReplay): LtvModels {
  const observations = replay.accounts.map(({ facts }) => observeLtv(facts.ltv, replay.asOf));
  return fitLtvModels(observations, { asOf: replay.asOf, axis: replay.axis, position: replay.position });
}

/** The same fit on a worker thread, so a request that fits does not hold the event loop for seconds. */
export function ltvModelsAsOfInWorker(replay: PortfolioReplay): Promise<LtvModels> {
  const observations = replay.accounts.map(({ facts }) => observeLtv(facts.ltv, replay.asOf));
  return fitLtvModelsInWorker(observations, { asOf: replay.asOf, axis: replay.axis, position: replay.position });
}
