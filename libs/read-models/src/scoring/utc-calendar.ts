/**
 * Calendar arithmetic in UTC. Day-based factors ("days since last contact", "days overdue")
 * count calendar days, so they change at UTC midnight and nowhere else: that is what lets the
 * projection know when a stored score goes stale. Scoring runs once per account and day in a
 * rebuild, so the common shapes (YYYY-MM-DD, toISOString's output) skip Date.parse.
 */
export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of the UTC calendar day holding `instantMs`. */
export const utcDayNumber = (instantMs: number): number => Math.floor(instantMs / DAY_MS);

/** Day number of a YYYY-MM-DD date (or of the date part of an ISO timestamp). */
export function dayNumberOfDate(date: string): number {
  const year = digits(date, 0, 4);
  const month = digits(date, 5, 2);
  const day = digits(date, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) {
    return utcDayNumber(Date.parse(date.slice(0, 10)));
  }
  return daysFromCivil(year, month, day);
}

/** YYYY-MM-DD of a day number. */
export const dateOfDayNumber = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** YYYY-MM-DD (UTC) of an ISO instant. */
export const utcDateOf = (instant: string): string => (isUtcIsoString(instant) ? instant.slice(0, 10) : dateOfDayNumber(utcDayNumber(Date.parse(instant))));

/** Milliseconds of an ISO instant. */
export function instantMs(instant: string): number {
  if (!isUtcIsoString(instant)) return Date.parse(instant);
  const hours = digits(instant, 11, 2);
  const minutes = digits(instant, 14, 2);
  const seconds = digits(instant, 17, 2);
  const millis = digits(instant, 20, 3);
  if (hours < 0 || minutes < 0 || seconds < 0 || millis < 0) return Date.parse(instant);
  return dayNumberOfDate(instant) * DAY_MS + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

/** The first UTC midnight strictly after `instantMs`. */
export const nextUtcMidnight = (instantMs: number): number => (utcDayNumber(instantMs) + 1) * DAY_MS;

/** toISOString's shape, YYYY-MM-DDTHH:MM:SS.sssZ: already in UTC, so its parts can be read as they are. */
function isUtcIsoString(text: string): boolean {
  return text.length === 24 && text.charCodeAt(23) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */ && text.charCodeAt(19) === 46; /* . */
}

/** The decimal number in `count` characters from `from`; -1 if any is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let index = from; index < from + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Howard Hinnant's days_from_civil: the proleptic Gregorian calendar without Date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** SQL writing a timestamptz column as toISOString writes the instant, whatever the session's TimeZone and DateStyle. */
export const isoInstantSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
