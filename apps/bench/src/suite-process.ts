import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteName } from './bench-options';
import type { BenchRow } from './bench-table';

/**
 * Each suite of a full run in a Node process of its own, as a JMH fork runs each benchmark in
 * a fresh JVM: what one suite leaves in a process would otherwise move the next one's figures.
 * Measured (docs/benchmarks.md): after the import and live-lag suites had folded events in the
 * same process, V8's allocation-site pretenuring sent the read routes' short-lived objects
 * straight to the old generation, which then grew 11 MB/s instead of 2–3 MB/s and was
 * mark-compacted every 10–17 s under the read load (7 times in the reads suite against none
 * when it ran alone).
 */

/** A suite's rows as its process wrote them, and whether it failed (exit code not 0, or no rows). */
export interface SuiteProcessResult {
  readonly rows: BenchRow[];
  readonly failed: boolean;
}

/** Where the child finds the runner: main.js beside this file, whichever command started the parent. */
const BENCH_ENTRY = join(__dirname, 'main.js');
/** The parent's start (epoch ms), so a child's progress lines go on counting from it. */
export const STARTED_AT_ENV = 'AHE_BENCH_STARTED_AT';

/** Flags the parent alone acts on, each with its value: a child measures one suite and hands its rows back. */
const PARENT_ONLY = ['--suite', '--json', '--compare', '--compare-tolerance'];

/**
 * The arguments of the process that runs `suite` alone: the caller's flags as given, but its
 * own --suite and --json (the child's table is not printed; its rows come back as JSON), and no
 * --compare (the parent compares every row once, from the file it read before measuring).
 */
export function suiteArgs(argv: readonly string[], suite: SuiteName, jsonFile: string): string[] {
  const kept: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (PARENT_ONLY.includes(arg)) index++;
    else if (arg === '--in-process' || PARENT_ONLY.some((flag) => arg.startsWith(`${flag}=`))) continue;
    else kept.push(arg);
  }
  return [...kept, '--suite', suite, '--json', jsonFile];
}

/**
 * Runs `suite` in a child with this process's Node flags (`--initial-old-space-size` among
 * them); its progress lines pass through (stderr), its printed table is dropped.
 */
export async function runSuiteProcess(
  suite: SuiteName,
  argv: readonly string[],
  startedAt: number,
  env: NodeJS.ProcessEnv,
  entry = BENCH_ENTRY,
): Promise<SuiteProcessResult> {
  const folder = mkdtempSync(join(tmpdir(), `ahe-bench-${suite}-${process.pid}-`));
  const jsonFile = join(folder, 'rows.json');
  try {
    const child = spawn(process.execPath, [...process.execArgv, entry, ...suiteArgs(argv, suite, jsonFile)], {
      env: { ...env, [STARTED_AT_ENV]: String(startedAt) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exit = await exitOf(child);
    const rows = readRows(jsonFile);
    if (rows !== null) return { rows, failed: exit.code !== 0 };
    return { rows: [{ figure: `${suite} — failed`, met: false, note: `its process ${describeExit(exit)} before writing any row (its output is above)` }], failed: true };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function readRows(file: string): BenchRow[] | null {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { rows: BenchRow[] }).rows;
  } catch {
    return null;
  }
}

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How `child` ended, once it has and its stdio has closed; rejects if it could not be started. */
export function exitOf(child: ChildProcess): Promise<ChildExit> {
  return new Promise((resolve, reject) => child.once('error', reject).once('close', (code, signal) => resolve({ code, signal })));
}

/** "exited with code 3", or "was killed by SIGKILL". */
export const describeExit = (exit: ChildExit): string => (exit.signal === null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`);
