import { InvalidEventError } from './errors';
import type { Checkpoint, ReadAllOptions, ReadStreamOptions } from './event-store.port';
import { START } from './event-store.port';

export const MAX_READ_ALL_LIMIT = 10_000;

function assertCount(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max)) {
    throw new InvalidEventError(`${field} must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`, field);
  }
}

/** Checks a stream read's options before any query, so bad input is a named 4xx, not a driver error. */
export function assertReadStreamOptions(options: ReadStreamOptions): void {
  assertCount(options.fromRevision, 'fromRevision', 0);
  assertCount(options.limit, 'limit', 0);
  if (options.direction !== undefined && options.direction !== 'forward' && options.direction !== 'backward') {
    throw new InvalidEventError("direction must be 'forward' or 'backward'", 'direction');
  }
  if (options.asOf !== undefined) {
    if (!(options.asOf.at instanceof Date) || Number.isNaN(options.asOf.at.getTime())) {
      throw new InvalidEventError('asOf.at must be a valid instant', 'asOf.at');
    }
    if (options.asOf.axis !== 'occurred' && options.asOf.axis !== 'recorded') {
      throw new InvalidEventError("asOf.axis must be 'occurred' or 'recorded'", 'asOf.axis');
    }
  }
}

export function readAllBounds(options: ReadAllOptions): { after: Checkpoint; limit: number } {
  assertCount(options.limit, 'limit', 1, MAX_READ_ALL_LIMIT);
  const after = options.after ?? START;
  if (typeof after.commit !== 'bigint' || typeof after.prepare !== 'bigint' || after.commit < 0n || after.prepare < 0n) {
    throw new InvalidEventError('after must be a checkpoint of two non-negative bigints', 'after');
  }
  return { after, limit: options.limit ?? 1000 };
}
