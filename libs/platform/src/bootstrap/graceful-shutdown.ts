import { Logger, type INestApplication } from '@nestjs/common';

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** The context of every line about stopping the process. */
export const SHUTDOWN_CONTEXT = 'Shutdown';

/**
 * On SIGTERM or SIGINT Nest closes the application in order: the HTTP server stops accepting
 * and waits for in-flight requests, then onApplicationShutdown hooks close the store and the
 * workers, then the process exits 0. A shutdown still running after `timeoutMs` exits 1.
 * A repeated signal is ignored: `npm start` forwards Ctrl-C to a process that got it already.
 */
export function enableGracefulShutdown(app: INestApplication, timeoutMs: number): void {
  const logger = new Logger(SHUTDOWN_CONTEXT);
  let started = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (started) return;
      started = true;
      logger.log(`${signal} received: draining HTTP requests, then closing modules (forced exit after ${timeoutMs} ms)`);
      setTimeout(() => {
        logger.error(`Shutdown still running after ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS): forcing exit`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
  // Listeners run in registration order, so the line above is logged before Nest starts closing.
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
}

/**
 * Logs the exit code as the last line. Call it before the app is created, so that this
 * listener runs before any a library adds later (standard output is written synchronously:
 * see LoggingModule).
 */
export function logExitCode(): void {
  const logger = new Logger(SHUTDOWN_CONTEXT);
  process.once('exit', (code) => logger.log(`Stopped, exit code ${code}`));
}
