import { z } from 'zod';
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

const cursorSchema = z.strictObject({ s: z.string(), v: z.string().nullable(), id: z.string() });

export const sortLabel = (sort: { readonly key: HealthSortKey; readonly descending: boolean }): string => `${sort.descending ? '-' : ''}${sort.key}`;

export function encodeHealthCursor(cursor: HealthCursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.sort, v: cursor.value, id: cursor.accountId })).toString('base64url');
}

export function decodeHealthCursor(text: string, sort: string): HealthCursor {
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
  return { sort: parsed.data.s, value: parsed.data.v, accountId: parsed.data.id };
}
