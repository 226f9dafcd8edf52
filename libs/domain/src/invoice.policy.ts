import type { InvoiceIssued, InvoicePaid } from '@ahe/events';
import type { CommandContext } from './account.commands';
import { invoiceOf, type AnyAccountState } from './account-collections';
import { outstandingOf } from './account.state';
import { calendarDateOf } from './command-context.policy';
import { InvalidCommandError, RuleViolationError } from './domain.errors';

/** An invoice id is issued once; an invoice cannot fall due before the day it is issued. */
export function assertInvoiceCanBeIssued(state: AnyAccountState, invoice: InvoiceIssued, context: CommandContext): void {
  const issuedOn = calendarDateOf(context.occurredAt);
  if (invoice.dueOn < issuedOn) {
    throw new InvalidCommandError(`dueOn must not be before the invoice is issued (${issuedOn})`, {
      code: 'DUE_BEFORE_ISSUED',
      field: 'dueOn',
    });
  }
  if (invoiceOf(state, invoice.invoiceId) !== undefined) {
    throw new RuleViolationError('INVOICE_ALREADY_EXISTS', `invoice ${invoice.invoiceId} already exists`, {
      field: 'invoiceId',
    });
  }
}

/** A payment settles part or all of what is outstanding on a known invoice, never more. */
export function assertPaymentCanBeRecorded(state: AnyAccountState, payment: InvoicePaid): void {
  const invoice = invoiceOf(state, payment.invoiceId);
  if (invoice === undefined) {
    throw new RuleViolationError('UNKNOWN_INVOICE', `invoice ${payment.invoiceId} does not exist on this account`, {
      field: 'invoiceId',
    });
  }
  const outstanding = outstandingOf(invoice);
  if (outstanding === 0) {
    throw new RuleViolationError('INVOICE_ALREADY_PAID', `invoice ${payment.invoiceId} is already paid in full`, {
      field: 'invoiceId',
      details: { amount: invoice.amount, paid: invoice.paid },
    });
  }
  if (payment.amount > outstanding) {
    throw new RuleViolationError(
      'OVERPAYMENT',
      `amount ${payment.amount} exceeds the ${outstanding} outstanding on invoice ${payment.invoiceId}`,
      { field: 'amount', details: { outstanding } },
    );
  }
}
