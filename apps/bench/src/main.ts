import { runBenchmarks } from './run-benchmarks';

/** `npm run bench -- [flags]`; `npm run bench -- --help` lists them (bench-options.ts). */
runBenchmarks(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  },
);
