import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { text, TEXT_LIMITS } from './shared/fields';

/** The contract will not be renewed; the account churns when the contract ends. */
export const RENEWAL_LOST = 'RenewalLost';
export const RENEWAL_LOST_SCHEMA_VERSION = 1;

export const renewalLostSchema = z.strictObject({
  reason: text(TEXT_LIMITS.reason),
});

export type RenewalLost = z.infer<typeof renewalLostSchema>;

export const renewalLostEvent = defineEvent({
  type: RENEWAL_LOST,
  schemaVersion: RENEWAL_LOST_SCHEMA_VERSION,
  schema: renewalLostSchema,
  upcasters: {},
});
