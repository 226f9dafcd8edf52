import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BenchRow, type BenchTarget, goalOf, reaches } from './bench-table';
import { copyRows, prepareCliStore, prepareCopyTable, startImportApi, type CopyTable, type ImportApi } from './import-targets';
import { prepareImportRun, type ImportRun } from './import-data';
import { figureOf, interleavedRates, type Figure } from './measure';
import { dropTarget, targetEnv, whereOf, type EmbeddedChoice, type StoreTarget } from './store-target';

/**
 * Bulk import, events/s, through both ways in — `POST /v1/import` on the real API (started in
 * this process, role http only) and `ahe import` (the built CLI as a child process) — against
 * a raw COPY of the same rows into a table of the same shape, taking turns within each run.
 * Each run imports fresh demo accounts (its own seed) into stores that keep growing, as the
 * reference table does, so all three see the same sizes.
 */
export interface ImportBenchOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Demo accounts per run, about 64 events each. */
  readonly accounts: number;
  /**
   * Demo accounts of the small-file `ahe import` line (no goal; 0 leaves it out): a cold process's
   * fixed cost weighs on a small file, so the goal is held to the bulk size and this shows the rest.
   */
  readonly smallAccounts: number;
  readonly runs: number;
  readonly embedded: EmbeddedChoice;
  readonly log: (line: string) => void;
}

const TARGET: BenchTarget = { minRatio: 0.6, of: 'COPY' };
const FIRST_SEED = 9_000;
/** The small files' seeds: accounts of their own, never those of a bulk run. */
const FIRST_SMALL_SEED = 19_000;
const CLI_ENTRY = join(__dirname, '..', '..', 'cli', 'src', 'main.js');

/** The Node flags of a script's shebang (`#!/usr/bin/env -S node --flag …`): how `ahe` runs, so how the bench starts it. */
export function shebangNodeFlags(script: string): string[] {
  const first = script.slice(0, script.indexOf('\n') >>> 0);
  const match = /^#!\/usr\/bin\/env(?: -S)? node((?: --[\w-]+(?:=\S+)?)*)\s*$/.exec(first);
  if (!match) throw new Error(`not a node shebang: ${JSON.stringify(first.slice(0, 100))}`);
  return match[1]!.split(' ').filter((flag) => flag !== '');
}

export async function importBench(options: ImportBenchOptions): Promise<BenchRow[]> {
  if (!existsSync(CLI_ENTRY)) throw new Error(`the import bench runs the built CLI (${CLI_ENTRY}): run npm run build first`);
  const folder = mkdtempSync(join(tmpdir(), `ahe-bench-import-${process.pid}-`));
  const target = (name: string): StoreTarget =>
    options.embedded ? { kind: 'embedded', dataDir: join(folder, name), thread: options.embedded } : { kind: 'postgres', databaseUrl: options.databaseUrl, schema: `bench_import_${process.pid}_${name}` };
  const targets = { api: target('api'), cli: target('cli'), copy: target('copy') };
  const where = whereOf(targets.api);
  let api: ImportApi | undefined;
  let copy: CopyTable | undefined;
  try {
    options.log(`import: generating ${options.runs} × ${options.accounts} demo accounts${options.smallAccounts > 0 ? ` and ${options.runs} × ${options.smallAccounts} for the small file` : ''} (not timed)…`);
    const runs = Array.from({ length: options.runs }, (_, run) => prepareImportRun(folder, options.accounts, FIRST_SEED + run));
    const small = options.smallAccounts > 0
      ? Array.from({ length: options.runs }, (_, run) => prepareImportRun(folder, options.smallAccounts, FIRST_SMALL_SEED + run))
      : [];
    copy = await prepareCopyTable(targets.copy);
    api = await startImportApi(targets.api, options.redisUrl);
    await prepareCliStore(targets.cli);
    const cliStartMs: number[] = [];
    const cliFlags = shebangNodeFlags(readFileSync(CLI_ENTRY, 'utf8'));
    const turns: Record<string, (run: number) => Promise<{ units: number; ms: number }>> = {
      copy: (run) => copyRows(copy!, runs[run]!),
      api: (run) => postImport(api!, runs[run]!),
      cli: async (run) => {
        const result = await cliImport(targets.cli, runs[run]!, cliFlags);
        cliStartMs.push(result.wallMs - result.ms);
        return result;
      },
    };
    // The small file's turns come after the bulk ones within each run, into the same growing tables.
    if (small.length > 0) {
      Object.assign(turns, { smallCopy: (run: number) => copyRows(copy!, small[run]!), smallCli: (run: number) => cliImport(targets.cli, small[run]!, cliFlags) });
    }
    const measured = await interleavedRates(options.runs, turns, (name, run) => options.log(`import: ${name}, run ${run + 1}/${options.runs}`));
    const sizeOf = (data: readonly ImportRun[], accounts: number) => {
      const events = data.map((run) => run.events);
      const [fewest, most] = [Math.min(...events), Math.max(...events)];
      return `${accounts} demo accounts (${fewest === most ? fewest : `${fewest}–${most}`} events) per run`;
    };
    /** A line against the COPY of the same rows; only the bulk lines are held to the goal. */
    const line = (figure: string, rate: Figure, copied: Figure, note: string, withGoal: boolean): BenchRow => {
      const ratio = rate.median / copied.median;
      return {
        figure, rate, unit: 'events/s', ratio, ...(withGoal ? { ...goalOf(TARGET), met: reaches(TARGET, { ratio }) } : {}),
        reference: { name: 'raw COPY of the same rows', rate: copied },
        note,
      };
    };
    const bulk = (figure: string, rate: Figure, note: string) => line(figure, rate, measured.copy!, `${sizeOf(runs, options.accounts)}; median of ${options.runs}; ${note}`, true);
    const cliNote = `the built CLI as a child process with its shebang's Node flags, into a store created beforehand, timed as it reports itself (from opening the store, which on PGlite includes booting it, to the last append); starting the process (and counting the lines) adds ${(figureOf(cliStartMs).median / 1000).toFixed(1)} s`;
    const rows = [
      bulk(`bulk import, POST /v1/import (NDJSON) — ${where}`, measured.api!, 'the API in this process with role http only (no projector), body sent by fetch; COPY: the rows the import stores, sealed beforehand, into CREATE TABLE … (LIKE events INCLUDING ALL)'),
      bulk(`bulk import, ahe import <file> — ${where}`, measured.cli!, cliNote),
    ];
    if (measured.smallCli && measured.smallCopy) {
      rows.push(line(
        `small file, ahe import <file> — ${where}`, measured.smallCli, measured.smallCopy,
        `${sizeOf(small, options.smallAccounts)}, the same CLI and timing, in turn with the bulk runs; no goal: what a cold process's fixed cost (JIT warm-up, the first window validated before anything is written, the last written after the last line) weighs on a file this small`,
        false,
      ));
    }
    return rows;
  } finally {
    await api?.close();
    await copy?.close();
    await Promise.all(Object.values(targets).map((one) => dropTarget(one)));
    rmSync(folder, { recursive: true, force: true });
  }
}

async function postImport(api: ImportApi, run: ImportRun): Promise<{ units: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${api.url}/v1/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.adminKey}`, 'content-type': 'application/x-ndjson' },
    body: run.body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`POST /v1/import answered ${response.status}: ${text.slice(0, 300)}`);
  return { units: checkedCount(JSON.parse(text) as { events: number }, run, 'POST /v1/import'), ms };
}

async function cliImport(target: StoreTarget, run: ImportRun, flags: readonly string[]): Promise<{ units: number; ms: number; wallMs: number }> {
  // NODE_PATH passed on: a build outside the checkout finds its modules through it.
  const inherited = { PATH: process.env.PATH ?? '', ...(process.env.NODE_PATH ? { NODE_PATH: process.env.NODE_PATH } : {}) };
  const env: Record<string, string> = { ...inherited, ...targetEnv(target) };
  const started = performance.now();
  const child = spawn(process.execPath, [...flags, CLI_ENTRY, 'import', run.file, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`ahe import exited ${code}: ${stderr.trim().slice(-300)}`);
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as { events: number; seconds: number };
  return { units: checkedCount(result, run, 'ahe import'), ms: result.seconds * 1000, wallMs };
}

function checkedCount(result: { events: number }, run: ImportRun, what: string): number {
  if (result.events !== run.events) throw new Error(`${what} stored ${result.events} events of ${run.events}`);
  return result.events;
}
