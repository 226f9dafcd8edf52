import type { AccountEventData, AccountEventType } from '@ahe/events';
import type { AccountCommand, AccountCommandOf } from '../account.commands';
import type { GivenEvent } from './decider-specification';

export const event = <Type extends AccountEventType>(
  type: Type,
  data: AccountEventData<Type>,
  occurredAt?: string,
): GivenEvent => ({ type, data, ...(occurredAt === undefined ? {} : { occurredAt }) }) as GivenEvent;

export const CONTRACT = { startsOn: '2025-01-01', endsOn: '2025-12-31', annualValue: 12_000_000 } as const;

export const accountOpened = (overrides: Partial<AccountEventData<'AccountOpened'>> = {}): GivenEvent =>
  event('AccountOpened', {
    name: 'Acme Corp',
    segment: 'enterprise',
    managerId: 'mgr-ada',
    currency: 'EUR',
    contract: { ...CONTRACT },
    ...overrides,
  });

export const accountClosed = (): GivenEvent => event('AccountClosed', { reason: 'Contract ended' });

export const complaintRaised = (complaintId = 'cmp-1', occurredAt?: string): GivenEvent =>
  event(
    'ComplaintRaised',
    {
      complaintId,
      severity: 'high',
      category: 'outage',
      description: 'Dashboard down for two hours',
      slaDueAt: '2025-01-02T09:00:00Z',
    },
    occurredAt,
  );

export const invoiceIssued = (invoiceId = 'INV-1', amount = 1_000_000): GivenEvent =>
  event('InvoiceIssued', { invoiceId, amount, dueOn: '2025-02-15' });

export const invoicePaid = (invoiceId = 'INV-1', amount = 400_000): GivenEvent =>
  event('InvoicePaid', { invoiceId, amount });

export const escalationOpened = (escalationId = 'esc-1'): GivenEvent =>
  event('EscalationOpened', {
    escalationId,
    rule: 'critical-complaint',
    reason: 'Critical complaint cmp-1',
    triggeringEventId: '7f9c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f',
  });

/** One valid command of each type, for an account opened by `accountOpened()`. */
export const A_COMMAND_OF_EACH_TYPE: { readonly [Type in AccountCommand['type']]: AccountCommandOf<Type> } = {
  OpenAccount: {
    type: 'OpenAccount',
    data: { accountId: 'acme', name: 'Acme', segment: 'smb', managerId: 'mgr-ada', currency: 'EUR' },
  },
  AssignManager: { type: 'AssignManager', data: { managerId: 'mgr-grace' } },
  LogContact: { type: 'LogContact', data: { channel: 'call', direction: 'outbound', summary: 'QBR' } },
  RaiseComplaint: {
    type: 'RaiseComplaint',
    data: { complaintId: 'cmp-9', severity: 'low', category: 'billing', description: 'Wrong VAT' },
  },
  ResolveComplaint: { type: 'ResolveComplaint', data: { complaintId: 'cmp-1', resolution: 'Fixed' } },
  RecordSurvey: { type: 'RecordSurvey', data: { kind: 'csat', score: 4 } },
  IssueInvoice: { type: 'IssueInvoice', data: { invoiceId: 'INV-9', amount: 5_000, dueOn: '2025-07-01' } },
  RecordPayment: { type: 'RecordPayment', data: { invoiceId: 'INV-1', amount: 100 } },
  RecordRenewal: { type: 'RecordRenewal', data: { outcome: 'won', endsOn: '2026-12-31', annualValue: 13_000_000 } },
  WinExpansion: { type: 'WinExpansion', data: { amount: 2_400_000, description: '50 more seats' } },
  CloseAccount: { type: 'CloseAccount', data: { reason: 'Churned' } },
  OpenEscalation: {
    type: 'OpenEscalation',
    data: {
      escalationId: 'esc-9',
      rule: 'band-red',
      reason: 'Risk band turned red',
      triggeringEventId: '7f9c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f',
    },
  },
  AcknowledgeEscalation: { type: 'AcknowledgeEscalation', data: { escalationId: 'esc-1' } },
  ResolveEscalation: { type: 'ResolveEscalation', data: { escalationId: 'esc-1', resolution: 'Handled' } },
};

/** History on which every command of `A_COMMAND_OF_EACH_TYPE` (but OpenAccount) is accepted. */
export const A_BUSY_ACCOUNT: readonly GivenEvent[] = [
  accountOpened(),
  complaintRaised(),
  invoiceIssued(),
  escalationOpened(),
];
