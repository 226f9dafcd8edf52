/**
 * Ends the process with `code` once nothing is left to do; if something stays open (a suite that
 * failed half-way can leave a connection to Redis or a pool), says so and exits after 5 s.
 */
export function exitOnceSettled(code: number, who: string): void {
  process.exitCode = code;
  setTimeout(() => {
    process.stderr.write(`${who}: connections were left open after the run; exiting\n`);
    process.exit(code);
  }, 5_000).unref();
}
