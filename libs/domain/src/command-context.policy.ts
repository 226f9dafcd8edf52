import { utcTimestamp } from '@ahe/events';
import type { CommandContext } from './account.commands';
import { InvalidCommandError } from './domain.errors';

const timestamp = utcTimestamp();

/** Milliseconds since the epoch; string comparison would misorder "…00Z" and "…00.5Z". */
export const instantOf = (isoTimestamp: string): number => Date.parse(isoTimestamp);

/** The UTC calendar date of a timestamp, comparable with `YYYY-MM-DD` fields. */
export const calendarDateOf = (isoTimestamp: string): string =>
  new Date(instantOf(isoTimestamp)).toISOString().slice(0, 10);

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
  if (instantOf(context.occurredAt) > instantOf(context.now)) {
    throw new InvalidCommandError(`occurredAt must not be in the future (now is ${context.now})`, {
      code: 'OCCURRED_IN_FUTURE',
      field: 'occurredAt',
      details: { occurredAt: context.occurredAt, now: context.now },
    });
  }
}
