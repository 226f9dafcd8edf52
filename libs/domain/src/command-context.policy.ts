import { utcTimestamp } from '@ahe/events';
import type { CommandContext } from './account.commands';
import { InvalidCommandError } from './domain.errors';

const timestamp = utcTimestamp();

// The form toISOString writes, the one every stored timestamp has. Timestamps in it order as
// strings and are their own UTC form, so they need no parsing: Date.parse and toISOString cost
// about a microsecond each, several times per line of a bulk import.
const ISO_UTC_MILLIS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Negative, zero or positive as ISO 8601 timestamp `a` is before, at or after `b` (NaN if one
 * is no instant). Other forms are parsed: as strings, "…00Z" and "…00.5Z" would misorder.
 */
export function compareInstants(a: string, b: string): number {
  if (ISO_UTC_MILLIS.test(a) && ISO_UTC_MILLIS.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Date.parse(a) - Date.parse(b);
}

/** A valid ISO 8601 timestamp as toISOString writes it: UTC with milliseconds, as the store records it. */
export const utcTimestampOf = (isoTimestamp: string): string =>
  ISO_UTC_MILLIS.test(isoTimestamp) ? isoTimestamp : new Date(isoTimestamp).toISOString();

/** The UTC calendar date of a timestamp, comparable with `YYYY-MM-DD` fields. */
export const calendarDateOf = (isoTimestamp: string): string => utcTimestampOf(isoTimestamp).slice(0, 10);

/**
 * `occurredAt` is a UTC timestamp, not after `now`: a change cannot be recorded before it
 * happens. Back-dating is allowed (a call logged the next day). `now` comes from the server's
 * clock, so a bad one is a bug of the caller, not bad input.
 */
export function assertValidContext(context: CommandContext): void {
  if (!timestamp.safeParse(context.now).success) {
    throw new RangeError(`context.now must be an ISO 8601 UTC timestamp, got ${JSON.stringify(context.now)}`);
  }
  if (!timestamp.safeParse(context.occurredAt).success) {
    throw new InvalidCommandError('occurredAt must be an ISO 8601 UTC timestamp, e.g. 2025-01-31T09:30:00Z', {
      code: 'INVALID_OCCURRED_AT',
      field: 'occurredAt',
    });
  }
  if (compareInstants(context.occurredAt, context.now) > 0) {
    throw new InvalidCommandError(`occurredAt must not be in the future (now is ${context.now})`, {
      code: 'OCCURRED_IN_FUTURE',
      field: 'occurredAt',
      details: { occurredAt: context.occurredAt, now: context.now },
    });
  }
}
