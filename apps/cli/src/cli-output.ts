import { describeFailure, isConnectionFailure } from '@ahe/database';
import { ImportConflictError, InvalidImportLineError, type ImportResult } from '@ahe/import';
import { connectionSettingsOf, loadConfig } from '@ahe/platform/config';

export function summary(result: ImportResult, seconds: number, what: string): string {
  const rate = Math.round(result.events / Math.max(seconds, 0.001)).toLocaleString('en');
  return `Imported ${result.events.toLocaleString('en')} events of ${result.accounts.toLocaleString('en')} accounts from ${what} ` +
    `in ${seconds.toFixed(1)} s (${rate} events/s)`;
}

/** Prints why the command failed on stderr and answers the exit code: 2 for a conflict (retry), else 1. */
export function reportFailure(error: unknown): number {
  if (error instanceof InvalidImportLineError) {
    process.stderr.write(`Import refused, nothing was appended: ${error.message}\n`);
    return 1;
  }
  if (error instanceof ImportConflictError) {
    process.stderr.write(`Import conflict: ${error.message}\n`);
    return 2;
  }
  const hint = isConnectionFailure(error) ? ` (a server did not accept the connection: check ${settingsToCheck()})` : '';
  process.stderr.write(`Failed: ${describeFailure(error)}${hint}\n`);
  return 1;
}

/** The environment the command ran with; a configuration that did not load names none. */
function settingsToCheck(): string {
  try {
    return connectionSettingsOf(loadConfig(process.env));
  } catch {
    return 'the connection settings';
  }
}
