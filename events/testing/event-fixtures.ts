import type { AccountEventData, AccountEventType } from '../registry';

/** One valid payload per event type, at the current schema version; the type keeps it complete. */
export const VALID_PAYLOADS: { readonly [Type in AccountEventType]: AccountEventData<Type> } = {
  AccountOpened: {
    name: 'Acme Corp',
    segment: 'enterprise',
    managerId: 'mgr-ada',
    currency: 'EUR',
    contract: { startsOn: '2025-01-01', endsOn: '2025-12-31', annualValue: 12_000_000 },
  },
  AccountManagerAssigned: { managerId: 'mgr-grace', previousManagerId: 'mgr-ada' },
  ContactLogged: {
    channel: 'call',
    direction: 'outbound',
    summary: 'Quarterly review, roadmap questions answered',
    sentiment: 0.4,
  },
  ComplaintRaised: {
    complaintId: 'cmp_001',
    severity: 'high',
    category: 'outage',
    description: 'Dashboard down for two hours',
    slaDueAt: '2025-03-02T10:00:00Z',
  },
  ComplaintResolved: { complaintId: 'cmp_001', resolution: 'Root cause fixed, credit issued' },
  SatisfactionRecorded: { kind: 'nps', score: 9, comment: 'Great support' },
  InvoiceIssued: { invoiceId: 'INV-2025-0001', amount: 1_000_000, dueOn: '2025-02-15' },
  InvoicePaid: { invoiceId: 'INV-2025-0001', amount: 400_000 },
  RenewalWon: { endsOn: '2026-12-31', annualValue: 13_500_000 },
  RenewalLost: { reason: 'Moved to an in-house tool' },
  ExpansionWon: { amount: 2_400_000, description: '50 more seats' },
  AccountClosed: { reason: 'Contract ended' },
  EscalationOpened: {
    escalationId: 'esc-cmp_001-sla',
    rule: 'complaint-sla-breach',
    reason: 'Complaint cmp_001 still open at its SLA deadline',
    triggeringEventId: '7f9c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f',
    severity: 'high',
    dueAt: '2025-03-02T14:00:00.000Z',
  },
  EscalationAcknowledged: { escalationId: 'esc-cmp_001-sla', by: 'ada@example.com', note: 'On it' },
  EscalationResolved: { escalationId: 'esc-cmp_001-sla', resolution: 'Complaint resolved with the customer' },
};
