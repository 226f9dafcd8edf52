import type { EscalationRule, Severity } from '@ahe/events';
import type { HistoryEvent } from './escalation-specification';

/** Builders of the events the escalation specs need, each at an explicit instant. */

export const opened = (occurredAt: string): HistoryEvent => ({
  type: 'AccountOpened',
  occurredAt,
  data: {
    name: 'Acme Corp',
    segment: 'enterprise',
    managerId: 'mgr-ada',
    currency: 'EUR',
    contract: { startsOn: '2025-01-01', endsOn: '2030-12-31', annualValue: 12_000_000 },
  },
});

export const contacted = (occurredAt: string): HistoryEvent => ({
  type: 'ContactLogged',
  occurredAt,
  data: { channel: 'call', direction: 'outbound', summary: 'Check-in' },
});

export interface ComplaintOptions {
  readonly severity?: Severity;
  readonly slaDueAt?: string;
  readonly description?: string;
}

export const complaintRaised = (complaintId: string, occurredAt: string, options: ComplaintOptions = {}): HistoryEvent => ({
  type: 'ComplaintRaised',
  occurredAt,
  data: {
    complaintId,
    severity: options.severity ?? 'critical',
    category: 'billing',
    description: options.description ?? 'Charged twice for March',
    slaDueAt: options.slaDueAt ?? new Date(Date.parse(occurredAt) + 4 * 3_600_000).toISOString(),
  },
});

export const complaintResolved = (complaintId: string, occurredAt: string): HistoryEvent => ({
  type: 'ComplaintResolved',
  occurredAt,
  data: { complaintId, resolution: 'Refunded the second charge' },
});

export const invoiceIssued = (invoiceId: string, amount: number, dueOn: string, occurredAt: string): HistoryEvent => ({
  type: 'InvoiceIssued',
  occurredAt,
  data: { invoiceId, amount, dueOn },
});

export const invoicePaid = (invoiceId: string, amount: number, occurredAt: string): HistoryEvent => ({
  type: 'InvoicePaid',
  occurredAt,
  data: { invoiceId, amount },
});

export const nps = (score: number, occurredAt: string, comment?: string): HistoryEvent => ({
  type: 'SatisfactionRecorded',
  occurredAt,
  data: { kind: 'nps', score, ...(comment === undefined ? {} : { comment }) },
});

export const csat = (score: number, occurredAt: string): HistoryEvent => ({
  type: 'SatisfactionRecorded',
  occurredAt,
  data: { kind: 'csat', score },
});

export const renewalLost = (occurredAt: string): HistoryEvent => ({
  type: 'RenewalLost',
  occurredAt,
  data: { reason: 'Moved to an in-house tool' },
});

export const renewalWon = (occurredAt: string): HistoryEvent => ({
  type: 'RenewalWon',
  occurredAt,
  data: { endsOn: '2031-12-31', annualValue: 13_000_000 },
});

export const expansionWon = (occurredAt: string): HistoryEvent => ({
  type: 'ExpansionWon',
  occurredAt,
  data: { amount: 100_000, description: 'Ten more seats' },
});

export const accountClosed = (occurredAt: string): HistoryEvent => ({
  type: 'AccountClosed',
  occurredAt,
  data: { reason: 'Contract ended' },
});

export const escalationOpened = (escalationId: string, rule: EscalationRule, occurredAt: string): HistoryEvent => ({
  type: 'EscalationOpened',
  occurredAt,
  data: { escalationId, rule, reason: `Opened by ${rule}`, triggeringEventId: 'acme-e0' },
});

export const escalationAcknowledged = (escalationId: string, occurredAt: string): HistoryEvent => ({
  type: 'EscalationAcknowledged',
  occurredAt,
  data: { escalationId, by: 'ada@example.com' },
});

export const escalationResolved = (escalationId: string, occurredAt: string): HistoryEvent => ({
  type: 'EscalationResolved',
  occurredAt,
  data: { escalationId, resolution: 'Handled' },
});
