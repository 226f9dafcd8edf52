import { parentPort, workerData } from 'node:worker_threads';
import { fitLtvModels, type LtvFitMeta } from './ltv-fit';
import type { LtvObservation } from './ltv.types';

/** The entry of the worker thread fitLtvModelsInWorker starts: one fit, posted back, then it ends. */
const { observations, meta } = workerData as { observations: readonly LtvObservation[]; meta: LtvFitMeta };
parentPort!.postMessage(fitLtvModels(observations, meta));
