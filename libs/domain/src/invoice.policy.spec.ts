import type { AccountCommand } from './account.commands';
import { InvalidCommandError, RuleViolationError } from './domain.errors';
import { accountOpened, invoiceIssued, invoicePaid } from './testing/account-fixtures';
import { given } from './testing/decider-specification';

const issueInvoice = (data: Partial<{ invoiceId: string; amount: number; dueOn: string }> = {}): AccountCommand => ({
  type: 'IssueInvoice',
  data: { invoiceId: 'INV-2', amount: 250_000, dueOn: '2025-07-01', ...data },
});

const recordPayment = (amount: number, invoiceId = 'INV-1'): AccountCommand => ({
  type: 'RecordPayment',
  data: { invoiceId, amount },
});

describe('IssueInvoice', () => {
  it('issues an invoice', () => {
    given([accountOpened()])
      .when(issueInvoice())
      .then([{ type: 'InvoiceIssued', data: { invoiceId: 'INV-2', amount: 250_000, dueOn: '2025-07-01' } }]);
  });

  it('accepts an invoice due on the day it is issued', () => {
    given([accountOpened()])
      .when(issueInvoice({ dueOn: '2025-06-01' }), { occurredAt: '2025-06-01T11:00:00Z' })
      .then([{ type: 'InvoiceIssued', data: { invoiceId: 'INV-2', amount: 250_000, dueOn: '2025-06-01' } }]);
  });

  it('refuses an invoice id issued before (409)', () => {
    given([accountOpened(), invoiceIssued('INV-2')])
      .when(issueInvoice())
      .thenThrows(RuleViolationError, { code: 'INVOICE_ALREADY_EXISTS', field: 'invoiceId', status: 409 });
  });

  it('refuses an invoice due before it is issued (400)', () => {
    given([accountOpened()])
      .when(issueInvoice({ dueOn: '2025-05-31' }), { occurredAt: '2025-06-01T00:00:00Z' })
      .thenThrows(InvalidCommandError, { code: 'DUE_BEFORE_ISSUED', field: 'dueOn', status: 400 });
  });

  it.each([
    [{ amount: 0 }, 'amount'],
    [{ amount: -5 }, 'amount'],
    [{ amount: 19.99 }, 'amount'],
    [{ amount: Number.MAX_SAFE_INTEGER + 1 }, 'amount'],
    [{ dueOn: '2025-02-30' }, 'dueOn'],
    [{ invoiceId: 'INV/2' }, 'invoiceId'],
  ])('refuses %p naming %s (400)', (patch, field) => {
    given([accountOpened()])
      .when(issueInvoice(patch))
      .thenThrows(InvalidCommandError, { field, code: 'INVALID_FIELD' });
  });
});

describe('RecordPayment', () => {
  it('records a partial payment', () => {
    given([accountOpened(), invoiceIssued('INV-1', 1_000_000)])
      .when(recordPayment(400_000))
      .then([{ type: 'InvoicePaid', data: { invoiceId: 'INV-1', amount: 400_000 } }]);
  });

  it('records the payment that settles what is outstanding after earlier ones', () => {
    given([accountOpened(), invoiceIssued('INV-1', 1_000_000), invoicePaid('INV-1', 400_000), invoicePaid('INV-1', 100_000)])
      .when(recordPayment(500_000))
      .then([{ type: 'InvoicePaid', data: { invoiceId: 'INV-1', amount: 500_000 } }]);
  });

  it('refuses paying more than is outstanding (409), saying how much is', () => {
    const error = given([accountOpened(), invoiceIssued('INV-1', 1_000_000), invoicePaid('INV-1', 400_000)])
      .when(recordPayment(600_001))
      .thenThrows(RuleViolationError, { code: 'OVERPAYMENT', field: 'amount', status: 409 });
    expect(error.details).toEqual({ outstanding: 600_000 });
  });

  it('refuses a payment on an invoice paid in full (409)', () => {
    given([accountOpened(), invoiceIssued('INV-1', 1_000_000), invoicePaid('INV-1', 1_000_000)])
      .when(recordPayment(1))
      .thenThrows(RuleViolationError, { code: 'INVOICE_ALREADY_PAID', field: 'invoiceId' });
  });

  it.each(['INV-404', 'constructor', '__proto__'])('refuses a payment on unknown invoice %p (409)', (invoiceId) => {
    given([accountOpened(), invoiceIssued('INV-1')])
      .when(recordPayment(100, invoiceId))
      .thenThrows(RuleViolationError, { code: 'UNKNOWN_INVOICE', field: 'invoiceId', status: 409 });
  });

  it.each([0, -100, 0.5])('refuses amount %p (400)', (amount) => {
    given([accountOpened(), invoiceIssued('INV-1')])
      .when(recordPayment(amount))
      .thenThrows(InvalidCommandError, { field: 'amount' });
  });
});
