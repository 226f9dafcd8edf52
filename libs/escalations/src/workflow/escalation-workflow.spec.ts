import { complaintEscalationId, detractorEscalationId, fallingEpisodeEscalationId, invoiceEscalationId, redEpisodeEscalationId } from './escalation-ids';
import * as at from './testing/escalation-events';
import { ACCOUNT, daysAgo, eventIdAt, given, rulesWith, SHIPPED_RULES, type HistoryEvent } from './testing/escalation-specification';

const OPENED = at.opened(daysAgo(20));
const critical = complaintEscalationId(ACCOUNT, 'critical-complaint', 'c-17');
const breach = complaintEscalationId(ACCOUNT, 'complaint-sla-breach', 'c-17');
const overdue = invoiceEscalationId(ACCOUNT, 'inv-9');
const red = (episode: number) => redEpisodeEscalationId(ACCOUNT, episode);

describe('escalation workflow: complaints', () => {
  const SLA = '2026-03-01T15:00:00.000Z';
  const raised: HistoryEvent = { ...at.complaintRaised('c-17', daysAgo(0.01), { slaDueAt: SLA }), correlationId: 'req-42' };

  it('opens a critical complaint at once and starts its SLA timer, carrying trigger and correlation', () => {
    const reason = 'Critical complaint c-17 (billing): Charged twice for March';
    given([OPENED]).when(raised).then([
      {
        id: `open-${critical}`,
        job: {
          kind: 'open',
          accountId: ACCOUNT,
          escalation: { escalationId: critical, rule: 'critical-complaint', reason, triggeringEventId: eventIdAt(1), severity: 'critical', dueAt: SLA },
          condition: { kind: 'complaint-open', complaintId: 'c-17' },
          correlationId: 'req-42',
        },
      },
      {
        id: `open-${breach}`,
        runAtMs: Date.parse(SLA),
        job: {
          kind: 'open',
          accountId: ACCOUNT,
          escalation: {
            escalationId: breach,
            rule: 'complaint-sla-breach',
            reason: `Complaint c-17 (critical, billing) still open at its SLA due ${SLA}`,
            triggeringEventId: eventIdAt(1),
            severity: 'critical',
          },
          condition: { kind: 'complaint-open', complaintId: 'c-17' },
          runAt: SLA,
          correlationId: 'req-42',
        },
      },
    ]);
  });

  it('gives a complaint below the listed severities only the SLA timer', () => {
    given([OPENED]).when(at.complaintRaised('c-17', daysAgo(0.01), { severity: 'medium' })).thenIds([`open-${breach}`]);
  });

  it('only cancels the timer when the complaint is resolved before anything was opened', () => {
    given([OPENED, raised]).when(at.complaintResolved('c-17', daysAgo(0))).thenIds([], [`open-${breach}`]);
  });

  it('resolves the escalations of a resolved complaint that are still open or acknowledged', () => {
    const history = [OPENED, raised, at.escalationOpened(critical, 'critical-complaint', daysAgo(0.01)), at.escalationAcknowledged(critical, daysAgo(0.01))];
    const resolution = 'Complaint c-17 resolved: Refunded the second charge';
    given(history).when({ ...at.complaintResolved('c-17', daysAgo(0)), correlationId: 'req-43' }).then(
      [
        {
          id: `resolve-${critical}`,
          job: { kind: 'resolve', accountId: ACCOUNT, escalationId: critical, resolution, rule: 'critical-complaint', correlationId: 'req-43' },
        },
      ],
      [`open-${breach}`],
    );
    const breached = [OPENED, raised, at.escalationOpened(breach, 'complaint-sla-breach', daysAgo(0)), at.escalationOpened(critical, 'critical-complaint', daysAgo(0))];
    given([...breached, at.escalationResolved(critical, daysAgo(0))])
      .when(at.complaintResolved('c-17', daysAgo(0)))
      .thenIds([`resolve-${breach}`], [`open-${breach}`]);
  });
});

describe('escalation workflow: invoices', () => {
  const issued = at.invoiceIssued('inv-9', 12_000, '2026-02-25', daysAgo(10));

  it('starts a timer daysAfterDue days after the due date', () => {
    const outcome = given([OPENED]).when(issued).thenIds([`open-${overdue}`]);
    expect(outcome.decision.jobs[0]).toMatchObject({
      runAtMs: Date.parse('2026-03-11T00:00:00.000Z'),
      job: {
        condition: { kind: 'invoice-unpaid', invoiceId: 'inv-9' },
        escalation: { rule: 'invoice-overdue', reason: 'Invoice inv-9 (12,000 minor units of EUR) unpaid 14 days after due 2026-02-25' },
      },
    });
  });

  it('cancels the timer when the invoice is settled, and resolves its escalation if open', () => {
    given([OPENED, issued]).when(at.invoicePaid('inv-9', 2_000, daysAgo(1))).thenNothing();
    given([OPENED, issued, at.invoicePaid('inv-9', 2_000, daysAgo(2))]).when(at.invoicePaid('inv-9', 10_000, daysAgo(1))).thenIds([], [`open-${overdue}`]);
    given([OPENED, issued, at.escalationOpened(overdue, 'invoice-overdue', daysAgo(1))])
      .when(at.invoicePaid('inv-9', 12_000, daysAgo(0)))
      .thenIds([`resolve-${overdue}`], [`open-${overdue}`]);
  });
});

describe('escalation workflow: band red', () => {
  const redAgain = [OPENED, at.renewalLost(daysAgo(5)), at.escalationOpened(red(1), 'band-red', daysAgo(5))];

  it('opens once per red stretch, at once and unconditionally', () => {
    const outcome = given([OPENED]).when(at.renewalLost(daysAgo(5))).thenIds([`open-${red(1)}`]);
    expect(outcome.decision.jobs[0]!.job).toMatchObject({ condition: { kind: 'always' }, escalation: { rule: 'band-red', triggeringEventId: eventIdAt(1) } });
    expect(outcome.decision.jobs[0]!.runAtMs).toBeUndefined();
    given(redAgain).when(at.contacted(daysAgo(4))).thenNothing();
  });

  it('resolves the escalation when the band leaves red, and the next red stretch is a new escalation once it is resolved', () => {
    const left = [...redAgain, at.renewalWon(daysAgo(4))];
    given(redAgain).when(at.renewalWon(daysAgo(4))).thenIds([`resolve-${red(1)}`]);
    given([...redAgain, at.escalationAcknowledged(red(1), daysAgo(5))]).when(at.renewalWon(daysAgo(4))).thenIds([`resolve-${red(1)}`]);
    // red(1) is still open: the new stretch waits for its resolution
    given(left).when(at.renewalLost(daysAgo(3))).thenNothing();
    given([...left, at.escalationResolved(red(1), daysAgo(4))]).when(at.renewalLost(daysAgo(3))).thenIds([`open-${red(2)}`]);
    expect(red(2)).not.toBe(red(1));
  });

  it('resolves nothing when the episode was never escalated (stale) or already resolved', () => {
    const staleRed = [at.opened(daysAgo(100)), at.contacted(daysAgo(41)), at.renewalLost(daysAgo(40))];
    const left = given(staleRed).when(at.renewalWon(daysAgo(1))).thenNothing();
    expect(left.watch).toMatchObject({ band: 'green', redSince: null, redEscalated: false });
    given([...redAgain, at.escalationResolved(red(1), daysAgo(4))]).when(at.renewalWon(daysAgo(3))).thenNothing();
  });
});

describe('escalation workflow: satisfaction drop', () => {
  it('opens one escalation per detractor survey', () => {
    given([OPENED]).when(at.nps(3, daysAgo(1))).thenIds([`open-${detractorEscalationId(ACCOUNT, eventIdAt(1))}`]);
    given([OPENED, at.nps(3, daysAgo(2))]).when(at.nps(3, daysAgo(1))).thenIds([`open-${detractorEscalationId(ACCOUNT, eventIdAt(2))}`]);
  });

  it('opens one escalation per stretch of the trend below the threshold, numbered by the stream', () => {
    const fallingId = (episode: number) => fallingEpisodeEscalationId(ACCOUNT, episode);
    const falling = [OPENED, at.csat(5, daysAgo(19)), at.csat(2, daysAgo(1)), at.escalationOpened(fallingId(1), 'satisfaction-drop', daysAgo(1))];
    given(falling.slice(0, 2)).when(at.csat(2, daysAgo(1))).thenIds([`open-${fallingId(1)}`]);
    given(falling).when(at.csat(1, daysAgo(0.5))).thenNothing();
    // 100, 25, 100, 100: a median slope of 0, so the stretch is over; one more bad survey starts the next
    const recovered = [...falling, at.csat(5, daysAgo(0.9)), at.csat(5, daysAgo(0.8))];
    expect(given(recovered).watch).toMatchObject({ trend: 0, trendFalling: false, fallingSince: null, fallingEscalated: false });
    // falling(1) is still open: a person has not decided satisfaction is back, so no second one
    given(recovered).when(at.csat(1, daysAgo(0.3))).thenNothing();
    const handled = [...falling, at.escalationResolved(fallingId(1), daysAgo(0.95)), at.csat(5, daysAgo(0.9)), at.csat(5, daysAgo(0.8))];
    given(handled).when(at.csat(1, daysAgo(0.3))).thenIds([`open-${fallingId(2)}`]);
  });
});

describe('escalation workflow: escalation events and closed accounts', () => {
  it('folds escalation events, deciding nothing while their causes hold', () => {
    const outcome = given([OPENED]).when(at.escalationOpened('esc-1', 'satisfaction-drop', daysAgo(1))).thenNothing();
    expect(outcome.watch.facts.state.escalations['esc-1']).toMatchObject({ status: 'open', rule: 'satisfaction-drop' });
    given([OPENED, at.escalationOpened('esc-1', 'satisfaction-drop', daysAgo(1))]).when(at.escalationAcknowledged('esc-1', daysAgo(0))).thenNothing();
  });

  it('resolves every open escalation on closure, cancels the timers, and opens nothing after', () => {
    const history = [OPENED, at.complaintRaised('c-17', daysAgo(1)), at.escalationOpened(critical, 'critical-complaint', daysAgo(1)), at.renewalLost(daysAgo(1))];
    const outcome = given(history).when(at.accountClosed(daysAgo(0))).thenIds([`resolve-${critical}`], [`open-${breach}`]);
    expect(outcome.decision.jobs[0]!.job).toMatchObject({ resolution: 'Account closed: Contract ended' });
    const closed = [...history, at.accountClosed(daysAgo(0)), at.escalationResolved(critical, daysAgo(0))];
    given(closed).when(at.nps(0, daysAgo(0))).thenNothing();
    given(closed).when(at.complaintRaised('c-18', daysAgo(0))).thenNothing();
  });
});

describe('escalation workflow: freshness and switches', () => {
  const STALE: HistoryEvent[] = [
    at.opened(daysAgo(400)),
    at.complaintRaised('c-1', daysAgo(300)),
    at.invoiceIssued('inv-1', 500, '2025-06-01', daysAgo(300)),
    at.nps(0, daysAgo(200)),
    at.renewalLost(daysAgo(100)),
  ];

  it('opens nothing for conditions that arose more than maxAgeDays ago', () => {
    for (const [revision, event] of STALE.entries()) given(STALE.slice(0, revision)).when(event).thenNothing();
  });

  it('opens anything within a wider window', () => {
    const wide = rulesWith({ maxAgeDays: 365 });
    const opened = STALE.flatMap((event, revision) =>
      given(STALE.slice(0, revision), wide)
        .when(event)
        .decision.jobs.map(({ job }) => (job.kind === 'open' ? job.escalation.rule : job.kind)),
    );
    // 100 days without contact had turned the account red by the time of the complaint (and every later event asks again)
    expect([...new Set(opened)]).toEqual(['critical-complaint', 'complaint-sla-breach', 'band-red', 'invoice-overdue', 'satisfaction-drop']);
  });

  it('produces nothing for a rule switched off', () => {
    const off = rulesWith({
      criticalComplaint: { ...SHIPPED_RULES.criticalComplaint, enabled: false },
      complaintSla: { enabled: false },
      invoiceOverdue: { ...SHIPPED_RULES.invoiceOverdue, enabled: false },
      bandRed: { enabled: false },
      satisfactionDrop: { ...SHIPPED_RULES.satisfactionDrop, enabled: false },
    });
    const recent = [OPENED, at.complaintRaised('c-17', daysAgo(1)), at.invoiceIssued('inv-9', 10, '2026-03-01', daysAgo(1)), at.nps(0, daysAgo(1))];
    for (const [revision, event] of [...recent, at.renewalLost(daysAgo(0))].entries()) given(recent.slice(0, revision), off).when(event).thenNothing();
  });
});
