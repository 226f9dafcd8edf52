import { complaintEscalationId, invoiceEscalationId } from './escalation-ids';
import { recheckEscalations } from './escalation-workflow';
import * as at from './testing/escalation-events';
import { ACCOUNT, daysAgo, eventIdAt, given, NOW, rulesWith, SHIPPED_RULES, SPEC_OPTIONS, watchOf, type HistoryEvent } from './testing/escalation-specification';
import { NO_TIMER_CAUSES } from './timer-causes';

const OPENED = at.opened(daysAgo(20));
const SLA = '2026-03-01T15:00:00.000Z';
const raised: HistoryEvent = { ...at.complaintRaised('c-17', daysAgo(0.2), { slaDueAt: SLA, severity: 'high' }), correlationId: 'req-42' };
const issued: HistoryEvent = { ...at.invoiceIssued('inv-9', 12_000, '2026-02-25', daysAgo(10)), correlationId: 'req-43' };
const breach = complaintEscalationId(ACCOUNT, 'complaint-sla-breach', 'c-17');
const overdue = invoiceEscalationId(ACCOUNT, 'inv-9');
const criticalOpen = complaintEscalationId(ACCOUNT, 'critical-complaint', 'c-18');
const criticalBreach = complaintEscalationId(ACCOUNT, 'complaint-sla-breach', 'c-18');

describe('the sweep plans lost timers again', () => {
  it('plans the timers of an open complaint and an unpaid invoice exactly as their events did', () => {
    const slaTimer = given([OPENED]).when(raised).decision.jobs.find((job) => job.id === `open-${breach}`);
    const overdueTimer = given([OPENED, raised]).when(issued).decision.jobs.find((job) => job.id === `open-${overdue}`);
    expect(slaTimer).toMatchObject({ runAtMs: Date.parse(SLA), job: { escalation: { triggeringEventId: eventIdAt(1) }, correlationId: 'req-42' } });
    expect(overdueTimer).toMatchObject({ job: { escalation: { triggeringEventId: eventIdAt(2) }, correlationId: 'req-43' } });
    // A later event is the account's last, yet the timers still name the events that started them
    given([OPENED, raised, issued, at.contacted(daysAgo(0.1))]).whenRechecked(NOW).then([slaTimer!, overdueTimer!]);
  });

  it('keeps planning the invoice timer while something is owed', () => {
    given([OPENED, issued, at.invoicePaid('inv-9', 2_000, daysAgo(1))]).whenRechecked(NOW).thenIds([`open-${overdue}`]);
    given([OPENED, issued, at.invoicePaid('inv-9', 12_000, daysAgo(1))]).whenRechecked(NOW).thenNothing();
  });

  it('plans nothing whose escalation is on the stream or whose complaint is resolved', () => {
    given([OPENED, raised, at.escalationOpened(breach, 'complaint-sla-breach', daysAgo(0))]).whenRechecked(NOW).thenNothing();
    given([OPENED, raised, at.escalationOpened(breach, 'complaint-sla-breach', daysAgo(0)), at.escalationResolved(breach, daysAgo(0))]).whenRechecked(NOW).thenNothing();
    given([OPENED, raised, at.complaintResolved('c-17', daysAgo(0.1))]).whenRechecked(NOW).thenNothing();
  });

  it('respects freshness and the rules switched off', () => {
    const stale = [
      at.opened(daysAgo(200)),
      at.contacted(daysAgo(1)),
      at.complaintRaised('c-1', daysAgo(60), { slaDueAt: daysAgo(31) }),
      // due 2026-01-01, deadline 14 days later: 45 days before now
      at.invoiceIssued('inv-1', 100, '2026-01-01', daysAgo(90)),
    ];
    given(stale).whenRechecked(NOW).thenNothing();
    const off = rulesWith({ complaintSla: { enabled: false }, invoiceOverdue: { ...SHIPPED_RULES.invoiceOverdue, enabled: false } });
    given([OPENED, raised, issued], off).whenRechecked(NOW).thenNothing();
  });

  it("plans a critical complaint's at-once open again, as its ComplaintRaised planned it, while its escalation is not on the stream", () => {
    const critical: HistoryEvent = { ...at.complaintRaised('c-18', daysAgo(0.1), { slaDueAt: SLA }), correlationId: 'req-44' };
    const opens = given([OPENED]).when(critical).decision.jobs;
    expect(opens.map((job) => job.id)).toEqual([`open-${criticalOpen}`, `open-${criticalBreach}`]);
    given([OPENED, critical, at.contacted(daysAgo(0.05))]).whenRechecked(NOW).then(opens);
  });

  it('plans no critical open whose escalation is on the stream, below the listed severities, stale, or switched off', () => {
    const critical = at.complaintRaised('c-18', daysAgo(0.1), { slaDueAt: SLA });
    given([OPENED, critical, at.escalationOpened(criticalOpen, 'critical-complaint', daysAgo(0.05))]).whenRechecked(NOW).thenIds([`open-${criticalBreach}`]);
    given([OPENED, critical, at.escalationOpened(criticalOpen, 'critical-complaint', daysAgo(0.05)), at.escalationOpened(criticalBreach, 'complaint-sla-breach', daysAgo(0))])
      .whenRechecked(NOW)
      .thenNothing();
    given([OPENED, critical, at.escalationOpened(criticalOpen, 'critical-complaint', daysAgo(0.05)), at.escalationResolved(criticalOpen, daysAgo(0))])
      .whenRechecked(NOW)
      .thenIds([`open-${criticalBreach}`]);
    given([OPENED, { ...critical, data: { ...(critical.data as object), severity: 'medium' } } as HistoryEvent]).whenRechecked(NOW).thenIds([`open-${criticalBreach}`]);
    // Raised 40 days ago with its SLA due tomorrow: the timer is fresh, the at-once open is not
    const old = at.complaintRaised('c-18', daysAgo(40), { slaDueAt: daysAgo(-1) });
    given([at.opened(daysAgo(200)), at.contacted(daysAgo(1)), old]).whenRechecked(NOW).thenIds([`open-${criticalBreach}`]);
    const off = rulesWith({ criticalComplaint: { ...SHIPPED_RULES.criticalComplaint, enabled: false } });
    given([OPENED, critical], off).whenRechecked(NOW).thenIds([`open-${criticalBreach}`]);
  });

  it('names the last event and leaves out the category for a watch that kept no cause', () => {
    const watch = { ...watchOf([OPENED, raised, at.contacted(daysAgo(0.1))]), timerCauses: NO_TIMER_CAUSES };
    const [job] = recheckEscalations(watch, SPEC_OPTIONS, NOW).decision.jobs;
    expect(job).toMatchObject({
      id: `open-${breach}`,
      job: { escalation: { triggeringEventId: eventIdAt(2), reason: `Complaint c-17 (high) still open at its SLA due ${SLA}` } },
    });
    expect(job!.job).not.toHaveProperty('correlationId');
  });
});

describe('timer causes', () => {
  it('remembers the event of each pending timer and forgets it when the timer has nothing left to wait for', () => {
    expect(watchOf([OPENED, raised, issued]).timerCauses).toEqual({
      complaints: { 'c-17': { eventId: eventIdAt(1), correlationId: 'req-42', category: 'billing', description: 'Charged twice for March' } },
      invoices: { 'inv-9': { eventId: eventIdAt(2), correlationId: 'req-43' } },
    });
    const settled = [OPENED, raised, issued, at.complaintResolved('c-17', daysAgo(0.1)), at.invoicePaid('inv-9', 2_000, daysAgo(0.1))];
    expect(watchOf(settled).timerCauses).toEqual({ complaints: {}, invoices: { 'inv-9': { eventId: eventIdAt(2), correlationId: 'req-43' } } });
    expect(watchOf([...settled, at.invoicePaid('inv-9', 10_000, daysAgo(0))]).timerCauses).toEqual(NO_TIMER_CAUSES);
    expect(watchOf([OPENED, raised, issued, at.accountClosed(daysAgo(0))]).timerCauses).toEqual(NO_TIMER_CAUSES);
  });

  it('keeps an id that is a property name of every object as a plain key', () => {
    const { timerCauses } = watchOf([OPENED, at.complaintRaised('__proto__', daysAgo(0.1))]);
    expect(Object.keys(timerCauses.complaints)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(timerCauses))).toEqual(timerCauses);
  });
});
