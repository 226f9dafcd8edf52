import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import type { AppConfig } from '@ahe/platform';
import { BASELINE_TIER_MAX_LINES, keepsBaselineTier } from './wasm-baseline-tier';

/** `(module (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add))` */
const INCREMENT_WASM = [0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 9, 1, 7, 0, 32, 0, 65, 1, 106, 11];

/**
 * Calls a WebAssembly function hot on a worker thread (where the embedded store's PGlite runs),
 * until V8 has tiered it up or 5 s have passed (TurboFan compiles in the background, later on a
 * busy machine), and tells which compiler its code is from.
 */
const HOT_WASM_ON_A_WORKER = `
  const { parentPort } = require('node:worker_threads');
  const { f } = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(${JSON.stringify(INCREMENT_WASM)}))).exports;
  (async () => {
    let x = 0;
    const until = Date.now() + 5000;
    while (!%IsTurboFanFunction(f) && Date.now() < until) {
      for (let call = 0; call < 1e6; call++) x = f(x);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    parentPort.postMessage(%IsTurboFanFunction(f) ? 'TurboFan' : %IsLiftoffFunction(f) ? 'Liftoff' : 'neither');
  })();
`;

/** The tier a hot function ends on in a fresh process, with or without keepWasmOnBaselineTier called first. */
function tierOfHotWasm(keepBaseline: boolean): string {
  const source = readFileSync(join(__dirname, 'wasm-baseline-tier.ts'), 'utf8');
  const { code } = transformSync(source, { swcrc: false, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
  const script = `
    const module = { exports: {} };
    ((exports, module) => { ${code} })(module.exports, module);
    if (${keepBaseline}) module.exports.keepWasmOnBaselineTier();
    const { Worker } = require('node:worker_threads');
    new Worker(${JSON.stringify(HOT_WASM_ON_A_WORKER)}, { eval: true }).once('message', (tier) => console.log(tier));
  `;
  const child = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the probe failed (${child.status}): ${child.stderr}`);
  return child.stdout.trim();
}

describe('keepWasmOnBaselineTier', () => {
  it("keeps a hot function on a worker thread on Liftoff, where V8's default tiers it up to TurboFan", () => {
    expect(tierOfHotWasm(false)).toBe('TurboFan');
    expect(tierOfHotWasm(true)).toBe('Liftoff');
  });
});

describe('keepsBaselineTier', () => {
  const embedded: AppConfig['store'] = { kind: 'embedded', dataDir: '/data' };
  const postgres: AppConfig['store'] = { kind: 'postgres', connectionString: 'postgres://localhost/test' };

  it('keeps an import into the embedded store on Liftoff up to BASELINE_TIER_MAX_LINES lines, and no longer', () => {
    expect(keepsBaselineTier(embedded, 1)).toBe(true);
    expect(keepsBaselineTier(embedded, BASELINE_TIER_MAX_LINES)).toBe(true);
    expect(keepsBaselineTier(embedded, BASELINE_TIER_MAX_LINES + 1)).toBe(false);
  });

  it('leaves a process that runs no WebAssembly of its own as it is: an import into PostgreSQL', () => {
    expect(keepsBaselineTier(postgres, 1)).toBe(false);
  });
});
