import type { AccountEvent } from '@ahe/events';

type Recorded = AccountEvent & { readonly occurredAt: string };

/**
 * Two years of one enterprise account, every event type included, in stream order. Each event
 * is admissible on the state folded from those before it, as an import would check it.
 */
export const REALISTIC_HISTORY: readonly Recorded[] = [
  {
    type: 'AccountOpened',
    occurredAt: '2024-01-02T09:00:00Z',
    data: {
      name: 'Northwind Traders',
      segment: 'enterprise',
      managerId: 'mgr-ada',
      currency: 'EUR',
      contract: { startsOn: '2024-01-01', endsOn: '2024-12-31', annualValue: 12_000_000 },
    },
  },
  {
    type: 'ContactLogged',
    occurredAt: '2024-01-10T14:30:00Z',
    data: { channel: 'meeting', direction: 'outbound', summary: 'Kick-off', sentiment: 0.6 },
  },
  {
    type: 'InvoiceIssued',
    occurredAt: '2024-01-15T08:00:00Z',
    data: { invoiceId: 'INV-2024-01', amount: 3_000_000, dueOn: '2024-02-14' },
  },
  { type: 'InvoicePaid', occurredAt: '2024-02-10T10:00:00Z', data: { invoiceId: 'INV-2024-01', amount: 1_000_000 } },
  {
    type: 'InvoicePaid',
    occurredAt: '2024-02-20T10:00:00.250Z',
    data: { invoiceId: 'INV-2024-01', amount: 2_000_000 },
  },
  {
    type: 'SatisfactionRecorded',
    occurredAt: '2024-03-01T12:00:00Z',
    data: { kind: 'nps', score: 9, comment: 'Smooth onboarding' },
  },
  {
    type: 'ComplaintRaised',
    occurredAt: '2024-04-03T07:15:00Z',
    data: {
      complaintId: 'cmp-outage',
      severity: 'critical',
      category: 'outage',
      description: 'API down for EU users',
      slaDueAt: '2024-04-03T11:15:00.000Z',
    },
  },
  {
    type: 'EscalationOpened',
    occurredAt: '2024-04-03T07:15:01Z',
    data: {
      escalationId: 'esc-cmp-outage-critical',
      rule: 'critical-complaint',
      reason: 'Critical complaint cmp-outage',
      triggeringEventId: '0b8d3f4e-1c2a-4e5f-8a9b-0c1d2e3f4a5b',
      severity: 'critical',
      dueAt: '2024-04-03T08:15:01Z',
    },
  },
  {
    type: 'EscalationAcknowledged',
    occurredAt: '2024-04-03T07:40:00Z',
    data: { escalationId: 'esc-cmp-outage-critical', by: 'ada@example.com' },
  },
  {
    type: 'ContactLogged',
    occurredAt: '2024-04-03T08:00:00Z',
    data: { channel: 'call', direction: 'inbound', summary: 'Customer angry about outage', sentiment: -0.8 },
  },
  {
    type: 'ComplaintResolved',
    occurredAt: '2024-04-03T10:30:00Z',
    data: { complaintId: 'cmp-outage', resolution: 'Failover fixed; credit note issued' },
  },
  {
    type: 'EscalationResolved',
    occurredAt: '2024-04-03T10:31:00Z',
    data: { escalationId: 'esc-cmp-outage-critical', resolution: 'Complaint resolved' },
  },
  { type: 'SatisfactionRecorded', occurredAt: '2024-04-20T12:00:00Z', data: { kind: 'csat', score: 3 } },
  {
    type: 'AccountManagerAssigned',
    occurredAt: '2024-06-01T09:00:00Z',
    data: { managerId: 'mgr-grace', previousManagerId: 'mgr-ada' },
  },
  {
    type: 'InvoiceIssued',
    occurredAt: '2024-07-01T08:00:00Z',
    data: { invoiceId: 'INV-2024-07', amount: 3_000_000, dueOn: '2024-07-31' },
  },
  {
    type: 'ExpansionWon',
    occurredAt: '2024-07-15T16:00:00Z',
    data: { amount: 2_400_000, description: '50 more seats' },
  },
  {
    type: 'ComplaintRaised',
    occurredAt: '2024-08-05T09:00:00Z',
    data: {
      complaintId: 'cmp-vat',
      severity: 'low',
      category: 'billing',
      description: 'Wrong VAT rate',
      slaDueAt: '2024-08-12T09:00:00.000Z',
    },
  },
  {
    type: 'EscalationOpened',
    occurredAt: '2024-08-20T00:00:00Z',
    data: {
      escalationId: 'esc-INV-2024-07-overdue',
      rule: 'invoice-overdue',
      reason: 'INV-2024-07 unpaid 20 days after it was due',
      triggeringEventId: '1c9e4a5f-2d3b-4f6a-9b0c-1d2e3f4a5b6c',
    },
  },
  { type: 'InvoicePaid', occurredAt: '2024-08-25T10:00:00Z', data: { invoiceId: 'INV-2024-07', amount: 3_000_000 } },
  {
    type: 'EscalationResolved',
    occurredAt: '2024-08-25T10:05:00Z',
    data: { escalationId: 'esc-INV-2024-07-overdue', resolution: 'Paid' },
  },
  { type: 'RenewalWon', occurredAt: '2024-11-20T15:00:00Z', data: { endsOn: '2025-12-31', annualValue: 14_000_000 } },
  { type: 'SatisfactionRecorded', occurredAt: '2025-02-01T12:00:00Z', data: { kind: 'nps', score: 4, comment: '' } },
  {
    type: 'ContactLogged',
    occurredAt: '2025-05-01T09:00:00Z',
    data: { channel: 'email', direction: 'outbound', summary: 'Renewal reminder' },
  },
  { type: 'RenewalLost', occurredAt: '2025-10-15T11:00:00Z', data: { reason: 'Moved to an in-house tool' } },
  { type: 'AccountClosed', occurredAt: '2026-01-01T00:00:00Z', data: { reason: 'Contract ended without renewal' } },
];
