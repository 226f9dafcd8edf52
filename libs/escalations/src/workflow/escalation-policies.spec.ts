import { complaintEscalationId, invoiceEscalationId } from './escalation-ids';
import { complaintSlaPolicy, criticalComplaintPolicy, invoiceOverduePolicy } from './escalation-policies';
import { isFresh } from './freshness';
import * as at from './testing/escalation-events';
import { ACCOUNT, askPolicy as ask, daysAgo, NOW, SHIPPED_RULES } from './testing/escalation-specification';

const OPENED = at.opened(daysAgo(400));

describe('isFresh', () => {
  it('takes a condition that arose up to maxAgeDays before now, and any deadline ahead', () => {
    const rules = { maxAgeDays: 30 };
    expect(isFresh(daysAgo(30), rules, NOW)).toBe(true);
    expect(isFresh(Date.parse(daysAgo(30)) - 1, rules, NOW)).toBe(false);
    expect(isFresh(daysAgo(-400), rules, NOW)).toBe(true);
  });
});

describe('criticalComplaintPolicy', () => {
  const raised = at.complaintRaised('c-17', daysAgo(0.1));

  it('opens at once, while the complaint is still open, due by the SLA', () => {
    expect(ask(criticalComplaintPolicy, [OPENED], raised)).toEqual([
      {
        kind: 'open',
        escalationId: complaintEscalationId(ACCOUNT, 'critical-complaint', 'c-17'),
        rule: 'critical-complaint',
        reason: 'Critical complaint c-17 (billing): Charged twice for March',
        condition: { kind: 'complaint-open', complaintId: 'c-17' },
        severity: 'critical',
        dueAt: (raised.data as { slaDueAt: string }).slaDueAt,
      },
    ]);
  });

  it('ignores severities the rules do not list, unless listed', () => {
    const high = at.complaintRaised('c-18', daysAgo(0.1), { severity: 'high' });
    expect(ask(criticalComplaintPolicy, [OPENED], high)).toEqual([]);
    const rules = { ...SHIPPED_RULES, criticalComplaint: { enabled: true, severities: ['high' as const, 'critical' as const] } };
    expect(ask(criticalComplaintPolicy, [OPENED], high, rules)).toMatchObject([{ kind: 'open', reason: 'High-severity complaint c-18 (billing): Charged twice for March' }]);
  });

  it('cuts a long description to 120 characters', () => {
    const long = at.complaintRaised('c-19', daysAgo(0.1), { description: 'x'.repeat(500) });
    const [action] = ask(criticalComplaintPolicy, [OPENED], long);
    expect(action).toMatchObject({ reason: `Critical complaint c-19 (billing): ${'x'.repeat(120)}…` });
  });

  it('opens nothing for a stale complaint or with the rule off; resolves when the complaint is', () => {
    expect(ask(criticalComplaintPolicy, [OPENED], at.complaintRaised('c-1', daysAgo(31)))).toEqual([]);
    expect(ask(criticalComplaintPolicy, [OPENED], raised, { ...SHIPPED_RULES, criticalComplaint: { enabled: false, severities: ['critical'] } })).toEqual([]);
    expect(ask(criticalComplaintPolicy, [OPENED, raised], at.complaintResolved('c-17', daysAgo(0)))).toEqual([
      { kind: 'resolve', escalationId: complaintEscalationId(ACCOUNT, 'critical-complaint', 'c-17'), resolution: 'Complaint c-17 resolved: Refunded the second charge' },
    ]);
  });
});

describe('complaintSlaPolicy', () => {
  it('schedules a timer at slaDueAt for every complaint, whatever its severity', () => {
    const raised = at.complaintRaised('c-2', daysAgo(1), { severity: 'low', slaDueAt: '2026-03-05T09:00:00.000Z' });
    expect(ask(complaintSlaPolicy, [OPENED], raised)).toEqual([
      {
        kind: 'open',
        escalationId: complaintEscalationId(ACCOUNT, 'complaint-sla-breach', 'c-2'),
        rule: 'complaint-sla-breach',
        reason: 'Complaint c-2 (low, billing) still open at its SLA due 2026-03-05T09:00:00.000Z',
        condition: { kind: 'complaint-open', complaintId: 'c-2' },
        severity: 'low',
        runAt: '2026-03-05T09:00:00.000Z',
      },
    ]);
  });

  it('judges freshness by the deadline, not by when the complaint was raised', () => {
    const oldButDueRecently = at.complaintRaised('c-3', daysAgo(60), { slaDueAt: daysAgo(10) });
    expect(ask(complaintSlaPolicy, [OPENED], oldButDueRecently)).toMatchObject([{ kind: 'open', runAt: daysAgo(10) }]);
    expect(ask(complaintSlaPolicy, [OPENED], at.complaintRaised('c-4', daysAgo(60), { slaDueAt: daysAgo(31) }))).toEqual([]);
  });

  it('cancels the timer and resolves the breach when the complaint is resolved', () => {
    const id = complaintEscalationId(ACCOUNT, 'complaint-sla-breach', 'c-2');
    expect(ask(complaintSlaPolicy, [OPENED, at.complaintRaised('c-2', daysAgo(1))], at.complaintResolved('c-2', daysAgo(0)))).toEqual([
      { kind: 'cancel', escalationId: id },
      { kind: 'resolve', escalationId: id, resolution: 'Complaint c-2 resolved: Refunded the second charge' },
    ]);
  });
});

describe('invoiceOverduePolicy', () => {
  it('schedules a timer daysAfterDue days after 00:00 UTC of dueOn', () => {
    const issued = at.invoiceIssued('inv-9', 1_200_000, '2026-03-10', daysAgo(20));
    expect(ask(invoiceOverduePolicy, [OPENED], issued)).toEqual([
      {
        kind: 'open',
        escalationId: invoiceEscalationId(ACCOUNT, 'inv-9'),
        rule: 'invoice-overdue',
        reason: 'Invoice inv-9 (1,200,000 minor units of EUR) unpaid 14 days after due 2026-03-10',
        condition: { kind: 'invoice-unpaid', invoiceId: 'inv-9' },
        runAt: '2026-03-24T00:00:00.000Z',
      },
    ]);
  });

  it('skips an invoice whose deadline is older than maxAgeDays', () => {
    // due 2026-01-01, deadline 2026-01-15: 45 days before now
    expect(ask(invoiceOverduePolicy, [OPENED], at.invoiceIssued('inv-1', 100, '2026-01-01', daysAgo(90)))).toEqual([]);
    const lenient = { ...SHIPPED_RULES, maxAgeDays: 60 };
    expect(ask(invoiceOverduePolicy, [OPENED], at.invoiceIssued('inv-1', 100, '2026-01-01', daysAgo(90)), lenient)).toHaveLength(1);
  });

  it('cancels and resolves only once the invoice is paid in full', () => {
    const issued = at.invoiceIssued('inv-9', 1_000, '2026-03-10', daysAgo(20));
    const id = invoiceEscalationId(ACCOUNT, 'inv-9');
    expect(ask(invoiceOverduePolicy, [OPENED, issued], at.invoicePaid('inv-9', 400, daysAgo(1)))).toEqual([]);
    expect(ask(invoiceOverduePolicy, [OPENED, issued, at.invoicePaid('inv-9', 400, daysAgo(2))], at.invoicePaid('inv-9', 600, daysAgo(1)))).toEqual([
      { kind: 'cancel', escalationId: id },
      { kind: 'resolve', escalationId: id, resolution: 'Invoice inv-9 paid in full' },
    ]);
    expect(ask(invoiceOverduePolicy, [OPENED], at.invoicePaid('inv-unknown', 600, daysAgo(1)))).toEqual([]);
  });
});
