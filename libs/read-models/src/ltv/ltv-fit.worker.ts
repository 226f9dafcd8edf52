import { parentPort } from 'node:worker_threads';
import { fitLtvModels, type LtvFitMeta } from './ltv-fit';
import type { LtvObservation } from './ltv.types';

/** The worker thread fitLtvModelsInWorker keeps: fits posted to it, one at a time, answered by id. */
parentPort!.on('message', ({ id, observations, meta }: { id: number; observations: readonly LtvObservation[]; meta: LtvFitMeta }) => {
  try {
    parentPort!.postMessage({ id, models: fitLtvModels(observations, meta) });
  } catch (error) {
    // Structured cloning keeps an Error's name, message and stack across the threads.
    parentPort!.postMessage({ id, error: error instanceof Error ? error : new Error(String(error)) });
  }
});
