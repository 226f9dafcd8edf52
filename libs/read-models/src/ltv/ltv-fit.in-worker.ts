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
 * transactions open and the idle-in-transaction timeout runs. One long-lived thread serves the
 * fits in turn (starting a thread and loading the fit's modules costs 70–110 ms, more than a
 * small fit); it does not keep the process alive, and one that dies is replaced on the next fit.
 *
 * A fit someone awaits holds the process open until it answers (a CLI that fits and prints).
 * One started in the background (`holdsProcess: false`: the LTV refresh, whose result only a
 * running engine writes) does not: a process that has stopped everything else exits rather
 * than finish a fit nobody will write (`ahe rebuild ltv_models` waited 15 s for one at 1M events).
 */
export function fitLtvModelsInWorker(observations: readonly LtvObservation[], meta: LtvFitMeta, options: FitOptions = {}): Promise<LtvModels> {
  return new Promise((resolve, reject) => fitThread().submit({ observations, meta }, { resolve, reject, holdsProcess: options.holdsProcess ?? true }));
}

export interface FitOptions {
  /** Whether the process waits for this fit to answer before it can exit; default true. */
  readonly holdsProcess?: boolean;
}

/**
 * Starts the fit thread and loads its modules now, answering once it has fitted an empty
 * portfolio: a process that will fit soon (the as-of warm-up) pays the thread's start here
 * rather than in its first request.
 */
export async function startLtvFitWorker(): Promise<void> {
  await fitLtvModelsInWorker([], { asOf: new Date(0), axis: 'recorded', position: 0 });
}

interface PendingFit {
  readonly resolve: (models: LtvModels) => void;
  readonly reject: (error: Error) => void;
  readonly holdsProcess: boolean;
}

class FitThread {
  private readonly pending = new Map<number, PendingFit>();
  private nextId = 0;
  dead = false;

  constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', ({ id, models, error }: { id: number; models?: LtvModels; error?: Error }) => {
      const fit = this.pending.get(id);
      this.pending.delete(id);
      this.holdWhileAwaited();
      if (error !== undefined) fit?.reject(error);
      else fit?.resolve(models!);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`the LTV fit worker exited with code ${code} before answering`)));
  }

  submit(request: { observations: readonly LtvObservation[]; meta: LtvFitMeta }, fit: PendingFit): void {
    const id = this.nextId++;
    this.pending.set(id, fit);
    this.holdWhileAwaited();
    this.worker.postMessage({ id, ...request });
  }

  /** Referenced while a fit someone awaits is pending, so a process waiting only on it still waits. */
  private holdWhileAwaited(): void {
    let held = false;
    for (const fit of this.pending.values()) held ||= fit.holdsProcess;
    if (held) this.worker.ref();
    else this.worker.unref();
  }

  private fail(error: Error): void {
    this.dead = true;
    for (const fit of this.pending.values()) fit.reject(error);
    this.pending.clear();
  }
}

let thread: FitThread | undefined;

function fitThread(): FitThread {
  if (!thread || thread.dead) thread = new FitThread(startWorker());
  return thread;
}

function startWorker(): Worker {
  const extension = extname(__filename);
  if (extension === '.js') return new Worker(join(__dirname, `${WORKER_ENTRY}.js`));
  return new Worker(typeScriptBootstrap(join(__dirname, `${WORKER_ENTRY}${extension}`)), { eval: true });
}

/**
 * Run from TypeScript source (jest, with @swc/jest), the worker compiles what it loads with the
 * build's own .swcrc, whose paths map the @ahe/* imports; the built dist/ has plain .js instead.
 */
function typeScriptBootstrap(entry: string): string {
  return `${typeScriptLoader(__dirname)}\n    require(${JSON.stringify(entry)});`;
}

/** Code that lets the thread or process running it require the repository's TypeScript source (found above `from`). */
export function typeScriptLoader(from: string): string {
  const root = repositoryRoot(from);
  const swc = require.resolve('@swc/core', { paths: [root] });
  return `
    const { readFileSync } = require('node:fs');
    const { transformSync } = require(${JSON.stringify(swc)});
    const config = JSON.parse(readFileSync(${JSON.stringify(join(root, '.swcrc'))}, 'utf8'));
    const options = { swcrc: false, module: config.module, jsc: { ...config.jsc, baseUrl: ${JSON.stringify(root)} } };
    require.extensions['.ts'] = (module, filename) => module._compile(transformSync(readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);`;
}

function repositoryRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, '.swcrc'))) return dir;
  throw new Error(`no .swcrc above ${from}: cannot run the LTV fit worker from source`);
}
