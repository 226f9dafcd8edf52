import { parseEventData, type AccountEvent } from '@ahe/events';
import { InvalidCommandError } from './domain.errors';

/**
 * The event's payload checked against its schema in `@ahe/events`, the one definition of
 * what is well-formed: ids, money as positive integers, score scales, text limits, dates.
 * Optional fields sent as `undefined` are left out, as the catalogue requires: the stored
 * JSON, and so the hash chain, must be the payload that was validated.
 */
export function validEvent(event: { readonly type: string; readonly data: unknown }): AccountEvent {
  const result = parseEventData(event.type, event.data);
  if (!result.ok) throw InvalidCommandError.fromIssues(result.issues);
  return { type: result.event.type, data: withoutUndefined(result.event.data) } as AccountEvent;
}

function withoutUndefined<Value>(value: Value): Value {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([key, field]) => [key, withoutUndefined(field)]),
  ) as Value;
}
