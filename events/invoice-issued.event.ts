import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { calendarDate, id, positiveMoney } from './shared/fields';

/** The account is billed; unpaid after `dueOn`, the invoice counts as overdue. */
export const INVOICE_ISSUED = 'InvoiceIssued';
export const INVOICE_ISSUED_SCHEMA_VERSION = 1;

export const invoiceIssuedSchema = z.strictObject({
  invoiceId: id(),
  amount: positiveMoney().describe('Invoiced amount, minor units of the account currency'),
  dueOn: calendarDate().describe('Last day on which payment is on time'),
});

export type InvoiceIssued = z.infer<typeof invoiceIssuedSchema>;

export const invoiceIssuedEvent = defineEvent({
  type: INVOICE_ISSUED,
  schemaVersion: INVOICE_ISSUED_SCHEMA_VERSION,
  schema: invoiceIssuedSchema,
  upcasters: {},
});
