import { Logger, type LoggerService } from '@nestjs/common';

type LogMethod = (message: unknown, ...params: unknown[]) => unknown;

/** Nest keeps the logger its `Logger`s write through to itself; a subclass may read it. */
class InstalledLogger extends Logger {
  static get current(): LoggerService | undefined {
    return this.staticInstanceRef;
  }
}

/**
 * From now on, Nest's `Logger`s write only lines of `context`. Once a signal has stopped start-up,
 * what start-up was doing fails as the store closes under it, and each failure would be logged as
 * an error (Nest's exception handler adds the stack) that the operator has nothing to do about.
 * Lines already held back are written first, so nothing logged before the stop is lost.
 */
export function writeOnlyLinesOf(context: string): void {
  Logger.flush();
  const target = InstalledLogger.current;
  if (!target) return;
  // Nest's Logger passes its context as the last parameter.
  const only = (write: LogMethod | undefined): LogMethod => (message, ...params) => {
    if (params.at(-1) === context) write?.call(target, message, ...params);
  };
  Logger.overrideLogger({
    log: only(target.log),
    error: only(target.error),
    warn: only(target.warn),
    debug: only(target.debug),
    verbose: only(target.verbose),
    fatal: only(target.fatal),
  });
}
