import { InvalidArgumentError } from 'commander';

/**
 * The limits of `ahe seed`'s options, checked while commander parses them so that a bad value
 * is a usage error naming its flag before anything runs. They are assertPortfolioOptions's
 * (libs/demo/src/portfolio.generator.ts), which the generator applies again.
 */
export const MAX_ACCOUNTS = 1_000_000;
export const MAX_YEARS = 50;

export function accountCount(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(number) || number < 1 || number > MAX_ACCOUNTS) {
    throw new InvalidArgumentError(`--accounts must be a positive integer, at most ${MAX_ACCOUNTS.toLocaleString('en')}.`);
  }
  return number;
}

export function yearSpan(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0 || number > MAX_YEARS) {
    throw new InvalidArgumentError(`--years must be a number above 0 and at most ${MAX_YEARS}.`);
  }
  return number;
}

export function generatorSeed(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(number)) throw new InvalidArgumentError('--seed must be an integer.');
  return number;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant the import will take: the importer refuses events in the future, and an instant
 * without a zone would be read in the machine's own, so the same seed would differ between
 * machines.
 */
export function pastInstant(now: () => number = Date.now): (value: string) => string {
  return (value: string): string => {
    const parts = ISO_INSTANT.exec(value);
    if (!parts || !isCalendarTime(parts) || Number.isNaN(Date.parse(value))) {
      throw new InvalidArgumentError('--ends-at must be an ISO 8601 instant with a time zone, like 2025-06-30T00:00:00Z.');
    }
    if (Date.parse(value) > now()) throw new InvalidArgumentError(`--ends-at must not be in the future (it is now ${new Date(now()).toISOString()}).`);
    return value;
  };
}

/** Date.parse alone takes 30 February for 2 March. */
function isCalendarTime([, year, month, day, hour, minute, second = '0']: RegExpExecArray): boolean {
  const [m, d] = [Number(month), Number(day)];
  const daysInMonth = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth && Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59;
}
