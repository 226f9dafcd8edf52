import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { id, text, TEXT_LIMITS } from './shared/fields';

/** Someone has taken an open escalation in hand; it stays open until resolved. */
export const ESCALATION_ACKNOWLEDGED = 'EscalationAcknowledged';
export const ESCALATION_ACKNOWLEDGED_SCHEMA_VERSION = 1;

export const escalationAcknowledgedSchema = z.strictObject({
  escalationId: id().describe('The escalation from an earlier EscalationOpened'),
  by: text(TEXT_LIMITS.name).optional().describe('Who acknowledged: a user, team or API key name'),
  note: text(TEXT_LIMITS.reason).optional(),
});

export type EscalationAcknowledged = z.infer<typeof escalationAcknowledgedSchema>;

export const escalationAcknowledgedEvent = defineEvent({
  type: ESCALATION_ACKNOWLEDGED,
  schemaVersion: ESCALATION_ACKNOWLEDGED_SCHEMA_VERSION,
  schema: escalationAcknowledgedSchema,
  upcasters: {},
});
