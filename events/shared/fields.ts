import { z } from 'zod';

/**
 * Building blocks shared by the event payload schemas. Messages are predicates without the
 * field name: `toEventIssues` prefixes the field's path, so one message reads well wherever
 * the block is used.
 */

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const id = () =>
  z.string().regex(ID_PATTERN, {
    error: 'must be an id of 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"',
  });

// PostgreSQL jsonb cannot store U+0000 nor a lone UTF-16 surrogate (JSON allows "\ud800"), so
// an event carrying either could never be appended.
const NUL = '\u0000';
const NUL_MESSAGE = 'must not contain the NUL character (\\u0000)';
const LONE_SURROGATE_MESSAGE = 'must not contain a lone UTF-16 surrogate (\\ud800 to \\udfff without its pair)';

/** Required text: at least one non-whitespace character. */
export const text = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .refine((value) => /\S/.test(value), { error: 'must not be blank' })
    .refine((value) => !value.includes(NUL), { error: NUL_MESSAGE })
    .refine((value) => value.isWellFormed(), { error: LONE_SURROGATE_MESSAGE });

/** Free text that may be empty, such as a survey comment imported from a CRM. */
export const freeText = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .refine((value) => !value.includes(NUL), { error: NUL_MESSAGE })
    .refine((value) => value.isWellFormed(), { error: LONE_SURROGATE_MESSAGE });

export const TEXT_LIMITS = Object.freeze({
  label: 100,
  name: 200,
  reason: 2_000,
  longText: 10_000,
});

/** Money in integer minor units of the account's currency (cents for EUR). */
export const positiveMoney = () => z.number().int().safe().positive();
export const nonNegativeMoney = () => z.number().int().safe().nonnegative();

export const currencyCode = () =>
  z.string().regex(/^[A-Z]{3}$/, {
    error: 'must be an ISO 4217 currency code of 3 upper-case letters, e.g. EUR',
  });

// On a string format schema, `error` would also replace "is required" and "must be a string".
const formatError =
  (message: string): z.core.$ZodErrorMap =>
  (issue) =>
    issue.code === 'invalid_format' ? message : undefined;

/** A calendar date without time zone; compares correctly as a string. */
export const calendarDate = () =>
  z.iso.date({ error: formatError('must be a calendar date YYYY-MM-DD, e.g. 2025-01-31') });

/** An instant in UTC, e.g. 2025-01-31T09:30:00Z; fractional seconds allowed. */
export const utcTimestamp = () =>
  z.iso.datetime({
    error: formatError('must be an ISO 8601 UTC timestamp, e.g. 2025-01-31T09:30:00Z'),
  });

/**
 * `YYYY-MM-DDThh:mm:ss`, UTC, on a day its month has in every year (29 February is left out):
 * the part of an instant that a regular expression can check without a calendar. Fast paths
 * build on it (the importer's line parser, the domain's admission) and send anything else to
 * utcTimestamp's or the context's full check.
 */
export const PLAIN_UTC_DATE_TIME =
  String.raw`\d{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d`;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const severity = () => z.enum(SEVERITIES);
export type Severity = (typeof SEVERITIES)[number];
