/** Exit code of a command stopped by Ctrl-C or SIGTERM: 128 + SIGINT's number, as shells report it. */
export const INTERRUPTED = 130;

/** The reason a command's signal is aborted with: what the command stopped for. */
export class CommandInterruptedError extends Error {
  override readonly name = 'CommandInterruptedError';
}

/**
 * Runs a long command so that Ctrl-C (or SIGTERM) stops it cleanly: the first one aborts
 * `signal`, with a CommandInterruptedError as its reason, and says what happens next
 * (`stopping`, asked at that moment when the answer depends on how far the command got); the command then stops where it can, rolls back or keeps what it must, stops
 * its progress bar (the terminal gets its cursor back) and closes the store (the embedded data
 * folder its lock). A second one quits at once.
 */
export async function interruptible<T>(stopping: string | (() => string), work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted) {
      // Progress bars hide the cursor until they stop, and they will not stop now.
      process.stderr.write('\x1b[?25h');
      process.exit(INTERRUPTED);
    }
    const saying = typeof stopping === 'string' ? stopping : stopping();
    process.stderr.write(`\n${saying} (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit at once)…\n`);
    abort.abort(new CommandInterruptedError(`interrupted by ${signal}`));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    return await work(abort.signal);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}
