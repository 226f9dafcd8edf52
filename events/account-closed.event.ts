import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { text, TEXT_LIMITS } from './shared/fields';

/** The account has ended; it no longer counts towards the active portfolio. */
export const ACCOUNT_CLOSED = 'AccountClosed';
export const ACCOUNT_CLOSED_SCHEMA_VERSION = 1;

export const accountClosedSchema = z.strictObject({
  reason: text(TEXT_LIMITS.reason),
});

export type AccountClosed = z.infer<typeof accountClosedSchema>;

export const accountClosedEvent = defineEvent({
  type: ACCOUNT_CLOSED,
  schemaVersion: ACCOUNT_CLOSED_SCHEMA_VERSION,
  schema: accountClosedSchema,
  upcasters: {},
});
