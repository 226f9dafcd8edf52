import { exitOnceSettled } from './exit-once-settled';
import { runBenchmarks } from './run-benchmarks';

/** `npm run bench -- [flags]`; `npm run bench -- --help` lists them (bench-usage.ts). */
runBenchmarks(process.argv.slice(2)).then(
  (code) => exitOnceSettled(code, 'bench'),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    exitOnceSettled(1, 'bench');
  },
);
