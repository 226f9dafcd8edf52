import { z } from 'zod';
import { ID_PATTERN } from '@ahe/events';
import type { HealthSortKey } from '../query.types';

/** A cursor that is not one this API handed out, or was handed out for another sort. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** Where the previous page ended: its last row's sort value (as SQL text) and account id. */
export interface HealthCursor {
  readonly sort: string;
  readonly value: string | null;
  readonly accountId: string;
}

/** The SQL type of a sort column: its value in a cursor is PostgreSQL's text of that type. */
export type SortValueType = 'integer' | 'bigint' | 'text' | 'date' | 'timestamptz';

const cursorSchema = z.strictObject({ s: z.string(), v: z.string().nullable(), id: z.string().regex(ID_PATTERN) });

const INTEGER_BOUNDS: Readonly<Record<'integer' | 'bigint', readonly [bigint, bigint]>> = {
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z$/;
/** `timestamptz::text` with DateStyle ISO, as cursors handed out before sortValueTextSql carry it. */
const EARLIER_TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-](0\d|1[0-5])(:[0-5]\d){0,2}$/;

/**
 * The text a sort value travels in, the same whatever the connection's DateStyle and TimeZone:
 * dates as YYYY-MM-DD and instants in UTC to the microsecond, which PostgreSQL reads back exactly.
 */
export function sortValueTextSql(column: string, type: SortValueType): string {
  if (type === 'timestamptz') return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  if (type === 'date') return `to_char(${column}, 'YYYY-MM-DD')`;
  return `(${column})::text`;
}

// PostgreSQL has no year 0, which JavaScript's calendar has.
function isCalendarDay(year: string, month: string, day: string): boolean {
  if (Number(year) < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  return date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

/**
 * Whether `value` is text sortValueTextSql could have written for `type`. The list casts it back
 * to the column's type, and a value no row could have had would fail there as a database error.
 */
export function isSortValueText(type: SortValueType, value: string): boolean {
  switch (type) {
    case 'integer':
    case 'bigint': {
      if (!/^-?\d{1,19}$/.test(value)) return false;
      const [min, max] = INTEGER_BOUNDS[type];
      return BigInt(value) >= min && BigInt(value) <= max;
    }
    case 'date':
    case 'timestamptz': {
      const parts = type === 'date' ? DATE_TEXT.exec(value) : (TIMESTAMP_TEXT.exec(value) ?? EARLIER_TIMESTAMP_TEXT.exec(value));
      return parts !== null && isCalendarDay(parts[1]!, parts[2]!, parts[3]!);
    }
    case 'text':
      return !value.includes('\u0000');
  }
}

export const sortLabel = (sort: { readonly key: HealthSortKey; readonly descending: boolean }): string => `${sort.descending ? '-' : ''}${sort.key}`;

export function encodeHealthCursor(cursor: HealthCursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.sort, v: cursor.value, id: cursor.accountId })).toString('base64url');
}

export function decodeHealthCursor(text: string, sort: string, valueType: SortValueType): HealthCursor {
  let json: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is malformed: pass the nextCursor of a previous page unchanged');
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw new InvalidCursorError('cursor is malformed: pass the nextCursor of a previous page unchanged');
  if (parsed.data.s !== sort) throw new InvalidCursorError(`cursor belongs to sort ${parsed.data.s}, not ${sort}: start again without a cursor`);
  if (parsed.data.v !== null && !isSortValueText(valueType, parsed.data.v)) {
    throw new InvalidCursorError(`cursor is malformed: its value is not one sort ${sort} can have; pass the nextCursor of a previous page unchanged`);
  }
  return { sort: parsed.data.s, value: parsed.data.v, accountId: parsed.data.id };
}
