import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { id, text, TEXT_LIMITS } from './shared/fields';

/** An escalation is closed, by a person or because its cause went away. */
export const ESCALATION_RESOLVED = 'EscalationResolved';
export const ESCALATION_RESOLVED_SCHEMA_VERSION = 1;

export const escalationResolvedSchema = z.strictObject({
  escalationId: id().describe('The escalation from an earlier EscalationOpened'),
  resolution: text(TEXT_LIMITS.longText),
});

export type EscalationResolved = z.infer<typeof escalationResolvedSchema>;

export const escalationResolvedEvent = defineEvent({
  type: ESCALATION_RESOLVED,
  schemaVersion: ESCALATION_RESOLVED_SCHEMA_VERSION,
  schema: escalationResolvedSchema,
  upcasters: {},
});
