import type { EscalationRule } from '@ahe/events';
import type { PlannedJob } from '../escalation-jobs';
import { causeGonePolicy } from './cause-gone.policy';
import { complaintEscalationId, detractorEscalationId, invoiceEscalationId, redEpisodeEscalationId } from './escalation-ids';
import * as at from './testing/escalation-events';
import { ACCOUNT, askPolicy, daysAgo, decisionsOf, eventIdAt, given, NOW } from './testing/escalation-specification';

const OPENED = at.opened(daysAgo(20));
const critical = complaintEscalationId(ACCOUNT, 'critical-complaint', 'c-17');
const breach = complaintEscalationId(ACCOUNT, 'complaint-sla-breach', 'c-17');
const overdue = invoiceEscalationId(ACCOUNT, 'inv-9');
const red = (episode: number) => redEpisodeEscalationId(ACCOUNT, episode);
const resolveJob = (escalationId: string, rule: EscalationRule, resolution: string): PlannedJob => ({
  id: `resolve-${escalationId}`,
  job: { kind: 'resolve', accountId: ACCOUNT, escalationId, resolution, rule },
});

describe('cause gone before the open was appended', () => {
  it('resolves a band-red escalation appended after the band had left red', () => {
    const redAndBack = [OPENED, at.renewalLost(daysAgo(5)), at.renewalWon(daysAgo(4))];
    given(redAndBack)
      .when(at.escalationOpened(red(1), 'band-red', daysAgo(3)))
      .then([resolveJob(red(1), 'band-red', 'Risk band no longer red: green, churn risk 0')]);
    // Red and green again in one batch: the open is planned, the green finds nothing to resolve, the fold of the open does
    const ids = decisionsOf([...redAndBack, at.escalationOpened(red(1), 'band-red', daysAgo(3))]).map((decision) => decision.jobs.map((job) => job.id));
    expect(ids).toEqual([[], [`open-${red(1)}`], [], [`resolve-${red(1)}`]]);
  });

  it('resolves a complaint escalation appended after the complaint was resolved, and none while it is open', () => {
    const raised = at.complaintRaised('c-17', daysAgo(1));
    given([OPENED, raised, at.complaintResolved('c-17', daysAgo(0.5))])
      .when(at.escalationOpened(critical, 'critical-complaint', daysAgo(0.4)))
      .then([resolveJob(critical, 'critical-complaint', 'Complaint c-17 resolved')]);
    given([OPENED, raised, at.complaintResolved('c-17', daysAgo(0.5))])
      .when(at.escalationOpened(breach, 'complaint-sla-breach', daysAgo(0.4)))
      .thenIds([`resolve-${breach}`]);
    given([OPENED, raised]).when(at.escalationOpened(critical, 'critical-complaint', daysAgo(0.9))).thenNothing();
  });

  it('resolves an overdue escalation appended after the invoice was paid in full, and none while something is owed', () => {
    const issued = at.invoiceIssued('inv-9', 12_000, '2026-02-01', daysAgo(20));
    given([OPENED, issued, at.invoicePaid('inv-9', 12_000, daysAgo(1))])
      .when(at.escalationOpened(overdue, 'invoice-overdue', daysAgo(0.5)))
      .then([resolveJob(overdue, 'invoice-overdue', 'Invoice inv-9 paid in full')]);
    given([OPENED, issued, at.invoicePaid('inv-9', 2_000, daysAgo(1))]).when(at.escalationOpened(overdue, 'invoice-overdue', daysAgo(0.5))).thenNothing();
  });

  it('resolves whatever is still open on a closed account, whenever it decides', () => {
    const detractor = (survey: number) => detractorEscalationId(ACCOUNT, eventIdAt(survey));
    const history = [
      OPENED,
      at.escalationOpened(detractor(1), 'satisfaction-drop', daysAgo(3)),
      at.escalationOpened(detractor(2), 'satisfaction-drop', daysAgo(3)),
    ];
    given(history).when(at.accountClosed(daysAgo(1))).thenIds([`resolve-${detractor(1)}`, `resolve-${detractor(2)}`]);
    // The closure's own resolution of detractor(2) got lost: the next decision plans it again
    given([...history, at.accountClosed(daysAgo(1))])
      .when(at.escalationResolved(detractor(1), daysAgo(0)))
      .then([resolveJob(detractor(2), 'satisfaction-drop', 'Account closed')]);
  });
});

describe('causeGonePolicy', () => {
  it('leaves a satisfaction drop to a person, and an escalation whose cause it cannot name', () => {
    const history = [
      OPENED,
      at.escalationOpened(detractorEscalationId(ACCOUNT, 'acme-e9'), 'satisfaction-drop', daysAgo(2)),
      at.escalationOpened('esc-unknown-complaint', 'critical-complaint', daysAgo(2)),
      at.escalationOpened('esc-unknown-invoice', 'invoice-overdue', daysAgo(2)),
    ];
    expect(askPolicy(causeGonePolicy, history, at.contacted(daysAgo(1)))).toEqual([]);
  });

  it('while red, keeps the newest band-red escalation and resolves those of earlier red stretches', () => {
    const history = [OPENED, at.renewalLost(daysAgo(5)), at.escalationOpened(red(1), 'band-red', daysAgo(5)), at.escalationOpened(red(2), 'band-red', daysAgo(4))];
    expect(askPolicy(causeGonePolicy, history, at.contacted(daysAgo(1)))).toEqual([
      { kind: 'resolve', escalationId: red(1), resolution: 'Risk band left red since; a later red episode has its own escalation' },
    ]);
    expect(askPolicy(causeGonePolicy, history, at.renewalWon(daysAgo(1)))).toMatchObject([{ escalationId: red(1) }, { escalationId: red(2) }]);
  });

  it('is asked by the sweep too, so a resolution the queue lost is planned again', () => {
    const history = [
      OPENED,
      at.complaintRaised('c-17', daysAgo(1)),
      at.complaintResolved('c-17', daysAgo(0.5)),
      at.escalationOpened(critical, 'critical-complaint', daysAgo(0.4)),
    ];
    given(history).whenRechecked(NOW).thenIds([`resolve-${critical}`]);
  });
});
