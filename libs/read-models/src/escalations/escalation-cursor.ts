import { z } from 'zod';
import { ID_PATTERN } from '@ahe/events';
import { InvalidCursorError } from '../account-health/health-cursor';

/**
 * Where the previous page ended: its last row's created_at and escalation id. created_at is an
 * event's occurredAt, which the store keeps to the millisecond, so ISO text with milliseconds
 * names the instant exactly.
 */
export interface EscalationCursor {
  readonly createdAt: string;
  readonly escalationId: string;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const cursorSchema = z.strictObject({ c: z.string().regex(ISO_MS), id: z.string().regex(ID_PATTERN) });
const MALFORMED = 'cursor is malformed: pass the nextCursor of a previous page unchanged';

export function encodeEscalationCursor(cursor: EscalationCursor): string {
  return Buffer.from(JSON.stringify({ c: cursor.createdAt, id: cursor.escalationId })).toString('base64url');
}

export function decodeEscalationCursor(text: string): EscalationCursor {
  let json: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(MALFORMED);
  }
  const parsed = cursorSchema.safeParse(json);
  // A date that does not exist (02-30) would fail the SQL cast: a 500 instead of a 400.
  if (!parsed.success || !isInstant(parsed.data.c)) throw new InvalidCursorError(MALFORMED);
  return { createdAt: parsed.data.c, escalationId: parsed.data.id };
}

/** Year 0 and before parse in JavaScript but not as a PostgreSQL timestamptz: a 500, not a 400, without this. */
function isInstant(text: string): boolean {
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms >= Date.parse('0001-01-01T00:00:00.000Z') && new Date(ms).toISOString() === text;
}
