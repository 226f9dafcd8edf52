import { describeFailure, isConnectionFailure } from '@ahe/database';
import { ImportConflictError, InvalidImportLineError, type ImportResult } from '@ahe/import';

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
  const hint = isConnectionFailure(error) ? ' (the database did not accept a connection: check DATABASE_URL, or EVENTSTORE_CONNECTION_STRING)' : '';
  process.stderr.write(`Failed: ${describeFailure(error)}${hint}\n`);
  return 1;
}
