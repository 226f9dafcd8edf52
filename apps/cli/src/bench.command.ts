import type { Command } from 'commander';
import { reportFailure } from './cli-output';

/**
 * `ahe bench [flags]`: the same run as `npm run bench -- [flags]`, one parser for both
 * (apps/bench/src/bench-options.ts), so the flags are passed through untouched and
 * `ahe bench --help` prints the bench's own list. The bench is loaded only when asked for: it
 * needs development dependencies (pg-copy-streams, autocannon) that a production install
 * leaves out, and every other command must keep working there.
 */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('Run the benchmarks and print one table, each figure beside a reference measured in the same run ' +
      '(same flags as npm run bench; ahe bench --help lists them). Uses DATABASE_URL and REDIS_URL.')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[flags...]', 'passed to the benchmark runner')
    .action(async (flags: string[]) => {
      const { runBenchmarks, exitOnceSettled } = await loadBench();
      let code: number;
      try {
        code = await runBenchmarks(flags, { invokedAs: 'ahe bench' });
      } catch (error) {
        code = reportFailure(error);
      }
      // As npm run bench ends: a suite that failed half-way can leave a connection open.
      exitOnceSettled(code, 'ahe bench');
    });
}

interface Bench {
  readonly runBenchmarks: typeof import('../../bench/src/run-benchmarks').runBenchmarks;
  readonly exitOnceSettled: typeof import('../../bench/src/exit-once-settled').exitOnceSettled;
}

async function loadBench(): Promise<Bench> {
  try {
    const [{ runBenchmarks }, { exitOnceSettled }] = await Promise.all([
      import('../../bench/src/run-benchmarks.js'),
      import('../../bench/src/exit-once-settled.js'),
    ]);
    return { runBenchmarks, exitOnceSettled };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(`ahe bench needs the development dependencies (${(error as Error).message.split('\n')[0]}): run it from a checkout after npm install`);
  }
}
