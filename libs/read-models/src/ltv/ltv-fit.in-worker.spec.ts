import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { generatePortfolio } from '@ahe/demo';
import type { FoldableEvent } from '@ahe/domain';
import { fitLtvModels } from './ltv-fit';
import { fitLtvModelsInWorker, typeScriptLoader } from './ltv-fit.in-worker';
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

describe('fitLtvModelsInWorker and the process', () => {
  /** A Node process that loads this module from source, starts one fit of `observations` and then has nothing else to do. */
  function fitInProcess(observations: readonly LtvObservation[], holdsProcess: boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const script = `${typeScriptLoader(__dirname)}
      const { fitLtvModelsInWorker } = require(${JSON.stringify(join(__dirname, 'ltv-fit.in-worker.ts'))});
      const observations = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
      const meta = { ...${JSON.stringify(META)}, asOf: new Date(${JSON.stringify(META.asOf.toISOString())}) };
      fitLtvModelsInWorker(observations, meta, { holdsProcess: ${holdsProcess} }).then(() => process.stdout.write('answered'));
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(JSON.stringify(observations));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('keeps a process whose only work left is an awaited fit alive until the fit answers', async () => {
    const run = await fitInProcess(demoObservations(), true);
    expect(run).toEqual({ code: 0, stdout: 'answered', stderr: '' });
  });

  it('lets a process whose only work left is a background fit (holdsProcess: false) exit without waiting for it', async () => {
    const run = await fitInProcess(demoObservations(), false);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
