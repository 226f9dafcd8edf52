import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { id, positiveMoney } from './shared/fields';

/** A payment against an invoice; several partial payments may settle one invoice. */
export const INVOICE_PAID = 'InvoicePaid';
export const INVOICE_PAID_SCHEMA_VERSION = 1;

export const invoicePaidSchema = z.strictObject({
  invoiceId: id().describe('The invoice from an earlier InvoiceIssued'),
  amount: positiveMoney().describe('Amount of this payment, minor units of the account currency'),
});

export type InvoicePaid = z.infer<typeof invoicePaidSchema>;

export const invoicePaidEvent = defineEvent({
  type: INVOICE_PAID,
  schemaVersion: INVOICE_PAID_SCHEMA_VERSION,
  schema: invoicePaidSchema,
  upcasters: {},
});
