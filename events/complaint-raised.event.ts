import { z } from 'zod';
import { defaultSlaDueAt } from './complaint-sla';
import { defineEvent, type Upcaster } from './shared/event-descriptor';
import { id, severity, text, TEXT_LIMITS, utcTimestamp } from './shared/fields';

/** The customer complains; the complaint stays open until a ComplaintResolved. */
export const COMPLAINT_RAISED = 'ComplaintRaised';
export const COMPLAINT_RAISED_SCHEMA_VERSION = 2;

const complaintFields = {
  complaintId: id(),
  severity: severity(),
  category: text(TEXT_LIMITS.label).describe('e.g. billing, outage, support'),
  description: text(TEXT_LIMITS.longText),
};

/** Version 1, as early CRM backfills wrote it: no SLA deadline. Kept to document the log. */
export const complaintRaisedV1Schema = z.strictObject(complaintFields);

export const complaintRaisedSchema = z.strictObject({
  ...complaintFields,
  slaDueAt: utcTimestamp().describe('Deadline for resolution; open past it, the complaint breaches its SLA'),
});

export type ComplaintRaisedV1 = z.infer<typeof complaintRaisedV1Schema>;
export type ComplaintRaised = z.infer<typeof complaintRaisedSchema>;

// Reads only what it needs: a field whose rules tightened after v1 must not make history unreadable.
const v1Input = z.looseObject({ severity: severity() });

/** v1 → v2: the SLA deadline is the default for the severity, counted from `occurredAt`. */
export const upcastComplaintRaisedV1ToV2: Upcaster = (data, { occurredAt }) => {
  const v1 = v1Input.parse(data);
  return { ...v1, slaDueAt: defaultSlaDueAt(v1.severity, occurredAt) };
};

export const complaintRaisedEvent = defineEvent({
  type: COMPLAINT_RAISED,
  schemaVersion: COMPLAINT_RAISED_SCHEMA_VERSION,
  schema: complaintRaisedSchema,
  upcasters: { 1: upcastComplaintRaisedV1ToV2 },
});
