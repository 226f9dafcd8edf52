import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { id, severity, text, TEXT_LIMITS, utcTimestamp } from './shared/fields';

/**
 * The escalation workflow fired a rule. Appended by the escalation process manager, never by
 * a client command, so the audit trail shows every escalation next to what caused it.
 */
export const ESCALATION_OPENED = 'EscalationOpened';
export const ESCALATION_OPENED_SCHEMA_VERSION = 1;

export const ESCALATION_RULES = [
  'critical-complaint',
  'complaint-sla-breach',
  'invoice-overdue',
  'band-red',
  'satisfaction-drop',
] as const;
export type EscalationRule = (typeof ESCALATION_RULES)[number];

export const escalationOpenedSchema = z.strictObject({
  escalationId: id(),
  rule: z.enum(ESCALATION_RULES),
  reason: text(TEXT_LIMITS.reason).describe('Why the rule fired, for the person who handles it'),
  triggeringEventId: id().describe(
    'eventId of the event that fired the rule; for a timer rule, the event that started the timer',
  ),
  severity: severity().optional(),
  dueAt: utcTimestamp().optional().describe('When the escalation should be acknowledged by'),
});

export type EscalationOpened = z.infer<typeof escalationOpenedSchema>;

export const escalationOpenedEvent = defineEvent({
  type: ESCALATION_OPENED,
  schemaVersion: ESCALATION_OPENED_SCHEMA_VERSION,
  schema: escalationOpenedSchema,
  upcasters: {},
});
