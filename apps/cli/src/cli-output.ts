import { describeFailure, isConnectionFailure } from '@ahe/database';
import { ImportConflictError, InvalidImportLineError, type ImportResult } from '@ahe/import';
import type { LogLevel } from '@ahe/platform';
import { connectionSettingsOf, loadConfig } from '@ahe/platform/config';
import type { ProjectionLogger } from '@ahe/projections';
import { EXIT } from './exit-codes';

export function summary(result: ImportResult, seconds: number, what: string): string {
  const rate = Math.round(result.events / Math.max(seconds, 0.001)).toLocaleString('en');
  return `Imported ${result.events.toLocaleString('en')} events of ${result.accounts.toLocaleString('en')} accounts from ${what} ` +
    `in ${seconds.toFixed(1)} s (${rate} events/s)`;
}

/** Prints why the command failed on stderr and answers the exit code: EXIT.retry for an import conflict that stored nothing, else `failed`. */
export function reportFailure(error: unknown, failed: number = EXIT.failed): number {
  if (error instanceof InvalidImportLineError) {
    process.stderr.write(`Import refused, nothing was appended: ${error.message}\n`);
    return failed;
  }
  if (error instanceof ImportConflictError) {
    process.stderr.write(`Import conflict: ${error.message}\n`);
    // Safe to run again only when nothing was stored: on EventStoreDB accounts appended before the conflict stay.
    return error.appended.events === 0 ? EXIT.retry : failed;
  }
  const hint = isConnectionFailure(error) ? ` (a server did not accept the connection: check ${settingsToCheck()})` : '';
  process.stderr.write(`Failed: ${describeFailure(error)}${hint}\n`);
  return failed;
}

/**
 * The action of a command whose exit code 1 is a finding (verify, replay --verify): an error
 * raised instead, from the configuration or the connection to the store too, exits
 * EXIT.couldNotCheck, so that an alert on 1 never fires for a command that could not look.
 */
export function checking<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      process.exitCode = reportFailure(error, EXIT.couldNotCheck);
    }
  };
}

/** The environment the command ran with; a configuration that did not load names none. */
function settingsToCheck(): string {
  try {
    return connectionSettingsOf(loadConfig(process.env));
  } catch {
    return 'the connection settings';
  }
}

const SEVERITY: Readonly<Record<LogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * The projection engine's lines, plain, on stderr, at LOG_LEVEL: a command that runs the engine
 * says why it is not moving instead of waiting without a word. The engine's routine lines
 * (serving, rebuilding, analyzed) say what the progress bar and the result line already say, so
 * they count as debug here. On a terminal the bar's line is cleared first; the bar draws itself
 * again below.
 */
export function stderrLogger(level: LogLevel): ProjectionLogger {
  const clearBar = process.stderr.isTTY ? '\r\x1b[K' : '';
  const at = (severity: number, prefix: string) => (message: string) => {
    if (severity >= SEVERITY[level]) process.stderr.write(`${clearBar}${prefix}${message}\n`);
  };
  return { log: at(SEVERITY.debug, ''), warn: at(SEVERITY.warn, 'Warning: '), error: at(SEVERITY.error, 'Error: ') };
}
