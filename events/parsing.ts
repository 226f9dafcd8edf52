import type { z } from 'zod';
import { InvalidEventDataError } from './errors';
import { acceptsEventData } from './event-data-acceptor';
import {
  EVENT_REGISTRY,
  isAccountEventType,
  type AccountEvent,
  type AccountEventOf,
  type AccountEventType,
} from './registry';
import { eventErrorMap, toEventIssues, type EventIssue } from './shared/issues';
import { upcast, type StoredEvent } from './upcasting';

export type ParseEventResult<Event extends AccountEvent = AccountEvent> =
  | { readonly ok: true; readonly event: Event }
  | { readonly ok: false; readonly issues: readonly EventIssue[] };

/**
 * Validates a payload against the current schema of `type`. Every problem is reported, each
 * with the dotted path of its field and a message that starts with that path. Data the
 * compiled acceptor vouches for comes back as it was given: the schemas neither transform nor
 * default (event-data-acceptor.spec.ts checks that zod's output equals such input).
 */
export function parseEventData<Type extends AccountEventType>(
  type: Type,
  data: unknown,
): ParseEventResult<AccountEventOf<Type>>;
export function parseEventData(type: string, data: unknown): ParseEventResult;
export function parseEventData(type: string, data: unknown): ParseEventResult {
  if (!isAccountEventType(type)) {
    return {
      ok: false,
      issues: [{ path: 'type', message: `type ${JSON.stringify(type)} is not a known event type` }],
    };
  }
  if (acceptsEventData(type, data)) return { ok: true, event: { type, data } as AccountEvent };
  const schema: z.ZodType = EVENT_REGISTRY[type].schema;
  const result = schema.safeParse(data, { error: eventErrorMap });
  if (!result.success) return { ok: false, issues: toEventIssues(result.error) };
  // The schema looked up by `type` produced `data`, which is what the union member pairs.
  return { ok: true, event: { type, data: result.data } as AccountEvent };
}

/**
 * A stored event as the current `AccountEvent`: upcast, then validated. Throws the typed
 * errors of `upcast`, or `InvalidEventDataError`.
 */
export function decodeEvent(stored: StoredEvent): AccountEvent {
  const current = upcast(stored);
  const result = parseEventData(current.type, current.data);
  if (!result.ok) throw new InvalidEventDataError(current.type, result.issues);
  return result.event;
}
