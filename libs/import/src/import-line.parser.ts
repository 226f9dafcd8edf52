import { z } from 'zod';
import {
  COMPLAINT_RAISED, DEFAULT_SLA_HOURS, defaultSlaDueAt, ID_PATTERN, PLAIN_UTC_DATE_TIME, isAccountEventType, parseEventData, EVENT_TYPES,
  type AccountEvent, type AccountEventType, type Severity,
} from '@ahe/events';
import { accountStreamId, utcTimestampOf } from '@ahe/domain';
import { InvalidImportLineError } from './import.errors';

/** One line that is well-formed on its own; the domain rules are checked against the account later. */
export interface ImportLine {
  readonly line: number;
  readonly accountId: string;
  readonly streamId: string;
  readonly event: AccountEvent;
  /** Normalised to UTC with milliseconds, as the store records it. */
  readonly occurredAt: string;
}

/**
 * A line checked on its own but for its data: the importer checks that when it admits the line
 * (`dataProblem`), after the lines before it, so each line's data is validated once.
 */
export interface UncheckedImportLine extends Omit<ImportLine, 'event'> {
  readonly event: { readonly type: AccountEventType; readonly data: unknown };
}

const FIELDS = new Set(['streamId', 'accountId', 'type', 'data', 'occurredAt']);
// CRM exports often write local offsets; the instant is what matters, and it is stored in UTC.
const isoTimestamp = z.iso.datetime({ offset: true });
// What most files hold, accepted by isoTimestamp too: UTC, and a day its month has in every
// year, so no calendar check is needed. Anything else (29 February, offsets) goes through
// isoTimestamp (a tenth of a line's parse).
const PLAIN_UTC = new RegExp(String.raw`^${PLAIN_UTC_DATE_TIME}(?:\.\d+)?Z$`);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and validates one NDJSON line; throws InvalidImportLineError naming the problem. */
export function parseImportLine(text: string, line: number): ImportLine {
  const unchecked = parseUncheckedImportLine(text, line);
  const parsed = parseEventData(unchecked.event.type, unchecked.event.data);
  if (!parsed.ok) throw dataProblemOf(unchecked, parsed.issues);
  return { ...unchecked, event: parsed.event };
}

/** The line's data checked against its type's schema: the error parseImportLine throws for it, if any. */
export function dataProblem(unchecked: UncheckedImportLine): InvalidImportLineError | undefined {
  const parsed = parseEventData(unchecked.event.type, unchecked.event.data);
  return parsed.ok ? undefined : dataProblemOf(unchecked, parsed.issues);
}

function dataProblemOf(unchecked: UncheckedImportLine, issues: readonly { path: string; message: string }[]): InvalidImportLineError {
  const field = issues[0]?.path ? `data.${issues[0].path}` : 'data';
  const problem = `${unchecked.event.type} ${issues.map((issue) => (issue.path ? `data.${issue.message}` : issue.message)).join('; ')}`;
  return new InvalidImportLineError(unchecked.line, 'INVALID_DATA', problem, { field });
}

/** Enough of a value the line got wrong to recognise it, however long or deeply nested it is. */
const SHOWN_CHARS = 64;

function shortened(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** A string quoted (cut at SHOWN_CHARS), anything else by its kind: stringifying a nested array could overflow the stack. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(shortened(value));
  if (value === undefined) return '(missing)';
  if (value === null) return '(null)';
  if (Array.isArray(value)) return '(an array)';
  return typeof value === 'object' ? '(an object)' : `(a ${typeof value})`;
}

function invalidLine(line: number, code: string, problem: string, field?: string): InvalidImportLineError {
  return new InvalidImportLineError(line, code, problem, field === undefined ? {} : { field });
}

/** Everything parseImportLine checks but the data's schema. */
export function parseUncheckedImportLine(text: string, line: number): UncheckedImportLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidLine(line, 'INVALID_JSON', `not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(value)) {
    throw invalidLine(line, 'INVALID_LINE', 'must be a JSON object { "accountId", "type", "data", "occurredAt" }');
  }
  // A parsed JSON object has no inherited enumerable members: for-in walks its own, in order, without a keys array.
  for (const key in value) {
    if (!FIELDS.has(key)) throw invalidLine(line, 'UNKNOWN_FIELD', `${shortened(key)} is not a known field`, shortened(key));
  }

  const { accountId, streamId, type, data, occurredAt } = value;
  if (typeof accountId !== 'string' || !ID_PATTERN.test(accountId)) {
    throw invalidLine(line, 'INVALID_FIELD', 'accountId must be an id of 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"', 'accountId');
  }
  const expectedStream = accountStreamId(accountId);
  if (streamId !== undefined && streamId !== expectedStream) {
    throw invalidLine(line, 'STREAM_MISMATCH', `streamId ${shown(streamId)} must be ${JSON.stringify(expectedStream)} for accountId ${accountId}`, 'streamId');
  }
  if (typeof type !== 'string' || !isAccountEventType(type)) {
    throw invalidLine(line, 'UNKNOWN_TYPE', `type ${shown(type)} is not a known event type (${EVENT_TYPES.join(', ')})`, 'type');
  }
  if (typeof occurredAt !== 'string' || (!PLAIN_UTC.test(occurredAt) && !isoTimestamp.safeParse(occurredAt).success)) {
    throw invalidLine(line, 'INVALID_FIELD', 'occurredAt must be an ISO 8601 timestamp with Z or an offset, e.g. 2025-01-31T09:30:00Z', 'occurredAt');
  }
  const at = utcTimestampOf(occurredAt);
  return { line, accountId, streamId: expectedStream, event: { type, data: withCommandDefaults(type, data, at) }, occurredAt: at };
}

const isSeverity = (value: unknown): value is Severity => typeof value === 'string' && Object.hasOwn(DEFAULT_SLA_HOURS, value);

/**
 * A line's data takes the command bodies' fields (API.md), so it gets the defaults a command
 * would: a complaint without `slaDueAt` is due when its severity's SLA says, from `occurredAt`.
 */
function withCommandDefaults(type: AccountEventType, data: unknown, occurredAt: string): unknown {
  if (type !== COMPLAINT_RAISED || !isPlainObject(data) || data.slaDueAt !== undefined || !isSeverity(data.severity)) return data;
  return { ...data, slaDueAt: defaultSlaDueAt(data.severity, occurredAt) };
}
