import { runBenchmarks } from './run-benchmarks';

/** `npm run bench -- [flags]`; `npm run bench -- --help` lists them (bench-options.ts). */
runBenchmarks(process.argv.slice(2)).then(
  (code) => exitOnceSettled(code),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    exitOnceSettled(1);
  },
);

/**
 * Ends with `code` once nothing is left to do; a suite that failed half-way can leave a
 * connection open (Redis, a pool), which would keep the process alive after its table is out.
 */
function exitOnceSettled(code: number): void {
  process.exitCode = code;
  setTimeout(() => {
    process.stderr.write('bench: connections were left open after the run; exiting\n');
    process.exit(code);
  }, 5_000).unref();
}
