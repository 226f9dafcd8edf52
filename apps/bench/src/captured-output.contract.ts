import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * For specs that run `runBenchmarks` and read what it printed: each test gets a fresh folder
 * and this process's stdout and stderr captured, both restored afterwards.
 */
export function capturedOutput(prefix: string): { readonly dir: string; readonly out: string[]; readonly err: string[] } {
  const state = { dir: '', out: [] as string[], err: [] as string[] };
  beforeEach(() => {
    state.dir = mkdtempSync(join(tmpdir(), prefix));
    state.out = [];
    state.err = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => state.out.push(String(chunk)) > 0);
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => state.err.push(String(chunk)) > 0);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(state.dir, { recursive: true, force: true });
  });
  return {
    get dir() { return state.dir; },
    get out() { return state.out; },
    get err() { return state.err; },
  };
}
