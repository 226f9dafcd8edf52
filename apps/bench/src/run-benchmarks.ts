import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchUsageError, parseBenchArgs, type BenchOptions } from './bench-options';
import { benchUsage } from './bench-usage';
import { readStoredRun } from './bench-compare';
import { formatBenchTable, type BenchRow } from './bench-table';
import { describeMachine, formatMachine } from './machine-info';
import { printComparison, printEarlierRun, writeBenchChart, type Comparing } from './run-report';
import { BenchRunBusyError, takeRunLock, type RunLock } from './run-lock';
import { sweep, unwritableOutput } from './run-preflight';
import { runSuiteProcess, STARTED_AT_ENV } from './suite-process';
import { runOrder, SUITES, type SuiteContext } from './suites';

export interface RunBenchmarksOptions {
  /** How the run was started, for the command line printed with the table. */
  readonly invokedAs?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Exit codes: 0 all suites ran, 1 a suite failed (its row says why), 2 bad flags (an output file
 * that cannot be written, or a --compare file that is not a run, included), 3 another run is
 * measuring against the database (run-lock.ts), 4 all ran but a line is worse than in --compare's run.
 */
export async function runBenchmarks(argv: readonly string[], { invokedAs = 'npm run bench --', env = process.env }: RunBenchmarksOptions = {}): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv, env);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${benchUsage()}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${benchUsage()}\n`);
    return 0;
  }
  // Checked before anything is measured: a full run took ten minutes to fail on writing them.
  const unwritable = unwritableOutput(options);
  if (unwritable !== null) {
    process.stderr.write(`${unwritable}\n`);
    return 2;
  }
  // The baseline is never the file this run writes: a run that fails would replace it.
  if (options.compare !== undefined && options.jsonFile !== undefined && resolve(options.compare) === resolve(options.jsonFile)) {
    process.stderr.write(`--json and --compare name the same file (${options.jsonFile}): this run would replace the run it is compared with; write --json elsewhere\n`);
    return 2;
  }
  const earlier = options.compare === undefined ? undefined : readStoredRun(options.compare, '--compare');
  if (typeof earlier === 'string') {
    process.stderr.write(`${earlier}\n`);
    return 2;
  }
  const comparing = earlier === undefined ? undefined : { run: earlier, file: options.compare!, tolerance: options.compareTolerance };
  if (options.fromJson !== undefined) return printEarlierRun(options.fromJson, options.chartFile, comparing);
  const started = performance.now();
  // A suite's own process (suite-process.ts) counts from its parent's start.
  const asChild = env[STARTED_AT_ENV] !== undefined;
  const origin = Number(env[STARTED_AT_ENV]) || Date.now();
  const elapsed = () => `${((Date.now() - origin) / 1000).toFixed(0).padStart(4)} s`;
  const log = (line: string) => process.stderr.write(`${elapsed()}  ${line}\n`);
  // The run's own process holds the lock; a suite's process runs under its parent's.
  let lock: RunLock | undefined;
  if (!asChild) {
    try {
      lock = await takeRunLock(options.databaseUrl);
    } catch (error) {
      if (!(error instanceof BenchRunBusyError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return 3;
    }
  }
  try {
    if (lock) await sweep(options, log);
    return await measure(argv, options, { env, invokedAs, started, asChild, origin, log, comparing });
  } finally {
    await lock?.release();
  }
}

interface RunContext {
  readonly env: NodeJS.ProcessEnv;
  readonly invokedAs: string;
  readonly started: number;
  readonly asChild: boolean;
  readonly origin: number;
  readonly log: (line: string) => void;
  readonly comparing?: Comparing;
}

async function measure(argv: readonly string[], options: BenchOptions, { env, invokedAs, started, asChild, origin, log, comparing }: RunContext): Promise<number> {
  // A suite's own process reports its rows alone: the parent describes the machine once.
  const machine = asChild ? undefined : await describeMachine(options.databaseUrl, options.redisUrl);
  const context: SuiteContext = { ...options, log };
  const selected = SUITES.filter((suite) => options.suites.includes(suite.name));
  const order = runOrder(selected);
  // Several suites: each in a process of its own unless asked otherwise (suite-process.ts).
  const ownProcesses = order.length > 1 && !options.inProcess;
  // Each suite's rows, printed in table order whatever order the suites ran in.
  const rowsOf = new Map<string, BenchRow[]>();
  const rows = () => selected.flatMap((suite) => rowsOf.get(suite.name) ?? []);
  const timings: Record<string, number> = {};
  const command = [invokedAs, ...argv].join(' ').replace(/ --$/, '');
  const report = () => {
    const seconds = (performance.now() - started) / 1000;
    if (machine) {
      machine.loadAverageAtEnd = loadavg();
      const perSuite = Object.entries(timings).map(([name, value]) => `${name} ${value.toFixed(0)} s`).join(', ');
      process.stdout.write(`\n${formatMachine(machine, command, seconds)}\n\n${formatBenchTable(rows())}\n\nTime per suite: ${perSuite || 'none'}\n`);
    }
    const at = new Date().toISOString();
    if (options.jsonFile) {
      writeFileSync(options.jsonFile, `${JSON.stringify({ command, at, seconds, timings, ...(machine ? { machine } : {}), rows: rows() }, null, 2)}\n`);
      if (!asChild) log(`wrote ${rows().length} rows to ${options.jsonFile}`);
    }
    if (options.chartFile && !asChild) {
      writeBenchChart(options.chartFile, rows(), { command, at, machine });
      log(`drew ${rows().length} rows into ${options.chartFile}`);
    }
  };
  let current = '';
  // An error no suite can catch (a driver emitting 'error' with no listener) ends the process:
  // print what was measured until then rather than lose it.
  const crashed = (error: Error) => {
    log(`${current} crashed: ${error.stack ?? error.message}`);
    rowsOf.set(current, [{ figure: `${current} — crashed`, met: false, note: error.message }]);
    report();
    process.exit(1);
  };
  process.once('uncaughtException', crashed);
  let failed = false;
  for (const [index, suite] of order.entries()) {
    current = suite.name;
    // A suite's own process leaves its banner to the parent's.
    if (!asChild) log(`[${index + 1}/${order.length}] ${suite.name}${options.embedded && suite.embeddable ? ' (embedded)' : ''}${ownProcesses ? ' (a process of its own)' : ''}…`);
    const suiteStarted = performance.now();
    try {
      if (ownProcesses) {
        const result = await runSuiteProcess(suite.name, argv, origin, env);
        rowsOf.set(suite.name, result.rows);
        failed ||= result.failed;
      } else rowsOf.set(suite.name, await suite.run(context));
    } catch (error) {
      failed = true;
      log(`${suite.name} failed: ${(error as Error).stack ?? String(error)}`);
      rowsOf.set(suite.name, [{ figure: `${suite.name} — failed`, met: false, note: (error as Error).message }]);
    }
    timings[suite.name] = (performance.now() - suiteStarted) / 1000;
    if (!asChild) log(`[${index + 1}/${order.length}] ${suite.name} done in ${timings[suite.name]!.toFixed(0)} s`);
  }
  process.off('uncaughtException', crashed);
  report();
  // A suite's own process leaves the comparison to its parent, which has every row.
  const worse = comparing !== undefined && !asChild && printComparison(rows(), comparing, { ...(machine ? { machine } : {}), command });
  return failed ? 1 : worse ? 4 : 0;
}
