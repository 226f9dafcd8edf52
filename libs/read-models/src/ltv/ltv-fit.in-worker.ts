import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LtvFitMeta } from './ltv-fit';
import type { LtvModels, LtvObservation } from './ltv.types';

const WORKER_ENTRY = 'ltv-fit.worker';

/**
 * fitLtvModels on a worker thread: the same code on the same input, so the same models to the
 * last digit, but the fit (Nelder-Mead over every distinct history: seconds to a minute on a
 * large portfolio) no longer blocks this thread's event loop, where other projections hold
 * transactions open and the idle-in-transaction timeout runs. One thread per fit; it does not
 * keep the process alive.
 */
export function fitLtvModelsInWorker(observations: readonly LtvObservation[], meta: LtvFitMeta): Promise<LtvModels> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ observations, meta });
    worker.unref();
    worker.once('message', (models: LtvModels) => {
      resolve(models);
      void worker.terminate();
    });
    worker.once('error', reject);
    // After a message or an error this settles nothing; otherwise the thread died without a word.
    worker.once('exit', (code) => reject(new Error(`the LTV fit worker exited with code ${code} before answering`)));
  });
}

function startWorker(workerData: unknown): Worker {
  const extension = extname(__filename);
  if (extension === '.js') return new Worker(join(__dirname, `${WORKER_ENTRY}.js`), { workerData });
  return new Worker(typeScriptBootstrap(join(__dirname, `${WORKER_ENTRY}${extension}`)), { eval: true, workerData });
}

/**
 * Run from TypeScript source (jest, with @swc/jest), the worker compiles what it loads with the
 * build's own .swcrc, whose paths map the @ahe/* imports; the built dist/ has plain .js instead.
 */
function typeScriptBootstrap(entry: string): string {
  const root = repositoryRoot(__dirname);
  const swc = require.resolve('@swc/core', { paths: [root] });
  return `
    const { readFileSync } = require('node:fs');
    const { transformSync } = require(${JSON.stringify(swc)});
    const config = JSON.parse(readFileSync(${JSON.stringify(join(root, '.swcrc'))}, 'utf8'));
    const options = { swcrc: false, module: config.module, jsc: { ...config.jsc, baseUrl: ${JSON.stringify(root)} } };
    require.extensions['.ts'] = (module, filename) => module._compile(transformSync(readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);
    require(${JSON.stringify(entry)});
  `;
}

function repositoryRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, '.swcrc'))) return dir;
  throw new Error(`no .swcrc above ${from}: cannot run the LTV fit worker from source`);
}
