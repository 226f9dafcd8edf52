import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { id, text, TEXT_LIMITS } from './shared/fields';

/** An open complaint is closed; it stops counting against the account's health. */
export const COMPLAINT_RESOLVED = 'ComplaintResolved';
export const COMPLAINT_RESOLVED_SCHEMA_VERSION = 1;

export const complaintResolvedSchema = z.strictObject({
  complaintId: id().describe('The complaint from an earlier ComplaintRaised'),
  resolution: text(TEXT_LIMITS.longText),
});

export type ComplaintResolved = z.infer<typeof complaintResolvedSchema>;

export const complaintResolvedEvent = defineEvent({
  type: COMPLAINT_RESOLVED,
  schemaVersion: COMPLAINT_RESOLVED_SCHEMA_VERSION,
  schema: complaintResolvedSchema,
  upcasters: {},
});
