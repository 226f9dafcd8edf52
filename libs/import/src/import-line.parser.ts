import { z } from 'zod';
import { ID_PATTERN, isAccountEventType, parseEventData, EVENT_TYPES, type AccountEvent } from '@ahe/events';
import { accountStreamId } from '@ahe/domain';
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

const FIELDS = new Set(['streamId', 'accountId', 'type', 'data', 'occurredAt']);
// CRM exports often write local offsets; the instant is what matters, and it is stored in UTC.
const isoTimestamp = z.iso.datetime({ offset: true });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and validates one NDJSON line; throws InvalidImportLineError naming the problem. */
export function parseImportLine(text: string, line: number): ImportLine {
  const invalid = (code: string, problem: string, field?: string) =>
    new InvalidImportLineError(line, code, problem, field === undefined ? {} : { field });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid('INVALID_JSON', `not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(value)) {
    throw invalid('INVALID_LINE', 'must be a JSON object { "accountId", "type", "data", "occurredAt" }');
  }
  const unknown = Object.keys(value).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) throw invalid('UNKNOWN_FIELD', `${unknown} is not a known field`, unknown);

  const { accountId, streamId, type, data, occurredAt } = value;
  if (typeof accountId !== 'string' || !ID_PATTERN.test(accountId)) {
    throw invalid('INVALID_FIELD', 'accountId must be an id of 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"', 'accountId');
  }
  const expectedStream = accountStreamId(accountId);
  if (streamId !== undefined && streamId !== expectedStream) {
    throw invalid('STREAM_MISMATCH', `streamId ${JSON.stringify(streamId)} must be ${JSON.stringify(expectedStream)} for accountId ${accountId}`, 'streamId');
  }
  if (typeof type !== 'string' || !isAccountEventType(type)) {
    throw invalid('UNKNOWN_TYPE', `type ${JSON.stringify(type)} is not a known event type (${EVENT_TYPES.join(', ')})`, 'type');
  }
  if (typeof occurredAt !== 'string' || !isoTimestamp.safeParse(occurredAt).success) {
    throw invalid('INVALID_FIELD', 'occurredAt must be an ISO 8601 timestamp with Z or an offset, e.g. 2025-01-31T09:30:00Z', 'occurredAt');
  }
  const parsed = parseEventData(type, data);
  if (!parsed.ok) {
    const [first] = parsed.issues;
    const field = first?.path ? `data.${first.path}` : 'data';
    throw invalid('INVALID_DATA', `${type} ${parsed.issues.map((issue) => (issue.path ? `data.${issue.message}` : issue.message)).join('; ')}`, field);
  }
  return { line, accountId, streamId: expectedStream, event: parsed.event, occurredAt: new Date(occurredAt).toISOString() };
}
