import { loadScoringRules } from '@ahe/read-models';
import { REALISTIC_HISTORY } from '../../../domain/src/testing/account-history';
import type { WorkflowDecision } from '../escalation-jobs';
import {
  complaintEscalationId,
  detractorEscalationId,
  fallingEpisodeEscalationId,
  invoiceEscalationId,
  redEpisodeEscalationId,
} from './escalation-ids';
import { evolveEscalationWatch, initialEscalationWatch } from './escalation-watch';
import { applyEscalationEvent, decideEscalations, nextRecheckAt, recheckEscalations } from './escalation-workflow';
import * as at from './testing/escalation-events';
import {
  ACCOUNT,
  daysAgo,
  daysLater,
  decisionsOf,
  envelopeOf,
  eventIdAt,
  given,
  NOW,
  rulesWith,
  SHIPPED_RULES,
  SPEC_OPTIONS,
  watchOf,
  type HistoryEvent,
} from './testing/escalation-specification';

const jobIdsOf = (decisions: readonly WorkflowDecision[]): string[] => decisions.flatMap((decision) => decision.jobs.map((job) => job.id));

describe('recheckEscalations', () => {
  // 50 days without contact: 10 more and the spec scorecard turns it red
  const quiet = [at.opened(daysAgo(50))];

  it('turns an account red as time passes, naming its last event as the trigger', () => {
    given(quiet).whenRechecked(NOW).thenNothing();
    const outcome = given(quiet).whenRechecked(daysLater(10)).thenIds([`open-${redEpisodeEscalationId(ACCOUNT, 1)}`]);
    expect(outcome.decision.jobs[0]!.job).toMatchObject({
      escalation: { rule: 'band-red', triggeringEventId: eventIdAt(0), reason: 'Risk band turned red: churn risk 14 (daysSinceLastContact +14)' },
    });
    expect(outcome.decision.jobs[0]!.job).not.toHaveProperty('correlationId');
    // Until its EscalationOpened is folded, every sweep asks for the same escalation; after, for none
    expect(recheckEscalations(outcome.watch, SPEC_OPTIONS, daysLater(11)).decision.jobs).toEqual(outcome.decision.jobs);
    const opened = envelopeOf(at.escalationOpened(redEpisodeEscalationId(ACCOUNT, 1), 'band-red', daysAgo(-10)), 1);
    const appended = applyEscalationEvent(outcome.watch, opened, SPEC_OPTIONS, daysLater(10));
    expect(recheckEscalations(appended.watch, SPEC_OPTIONS, daysLater(11)).decision.jobs).toEqual([]);
  });

  it('keeps evaluating forward: a back-dated event cannot take the account out of red for a moment', () => {
    const later = daysLater(10);
    const escalationId = redEpisodeEscalationId(ACCOUNT, 1);
    let { watch } = recheckEscalations(watchOf(quiet), SPEC_OPTIONS, later);
    watch = applyEscalationEvent(watch, envelopeOf(at.escalationOpened(escalationId, 'band-red', later.toISOString()), 1), SPEC_OPTIONS, later).watch;
    // Contact 20 days before now: evaluated at its own instant it would be 30 days without contact, not red
    const backDated = applyEscalationEvent(watch, envelopeOf({ ...at.contacted(daysAgo(20)), type: 'ExpansionWon', data: { amount: 1, description: 'Seats' } }, 2), SPEC_OPTIONS, later);
    expect(backDated.decision.jobs).toEqual([]);
    expect(backDated.watch.band).toBe('red');
    const called = applyEscalationEvent(backDated.watch, envelopeOf(at.contacted(later.toISOString()), 3), SPEC_OPTIONS, later);
    expect(called.decision.jobs.map((job) => job.id)).toEqual([`resolve-${escalationId}`]);
  });

  it('never moves back in time when the clock is behind the last event', () => {
    const watch = watchOf([at.opened(daysAgo(50)), at.contacted(daysAgo(-5))]);
    const { watch: after, decision } = recheckEscalations(watch, SPEC_OPTIONS, NOW);
    expect(decision.jobs).toEqual([]);
    expect(after.evaluatedAt).toBe(watch.evaluatedAt);
  });

  it('does nothing for an account that is closed or not opened', () => {
    given([...quiet, at.accountClosed(daysAgo(1))]).whenRechecked(daysLater(30)).thenNothing();
    expect(recheckEscalations(initialEscalationWatch(ACCOUNT), SPEC_OPTIONS, NOW).decision.jobs).toEqual([]);
  });
});

describe('nextRecheckAt', () => {
  it('is the next instant the score can change without an event: midnight, or an SLA running out first', () => {
    expect(nextRecheckAt(watchOf([at.opened(daysAgo(50))]), SPEC_OPTIONS, NOW)).toEqual(new Date('2026-03-02T00:00:00.000Z'));
    const complaint = at.complaintRaised('c-1', daysAgo(0.1), { slaDueAt: '2026-03-01T15:00:00.000Z' });
    expect(nextRecheckAt(watchOf([at.opened(daysAgo(50)), complaint]), SPEC_OPTIONS, NOW)).toEqual(new Date('2026-03-01T15:00:00.001Z'));
  });

  it('is null when nothing can change: no account, a closed one, or the band and trend rules off and no timer pending', () => {
    expect(nextRecheckAt(initialEscalationWatch(ACCOUNT), SPEC_OPTIONS, NOW)).toBeNull();
    expect(nextRecheckAt(watchOf([at.opened(daysAgo(50)), at.accountClosed(daysAgo(1))]), SPEC_OPTIONS, NOW)).toBeNull();
    const off = rulesWith({ bandRed: { enabled: false }, satisfactionDrop: { ...SHIPPED_RULES.satisfactionDrop, enabled: false } });
    expect(nextRecheckAt(watchOf([at.opened(daysAgo(50))]), off, NOW)).toBeNull();
    const timersOff = rulesWith({ ...off.rules, complaintSla: { enabled: false }, invoiceOverdue: { ...SHIPPED_RULES.invoiceOverdue, enabled: false } });
    const critical = watchOf([at.opened(daysAgo(50)), at.complaintRaised('c-1', daysAgo(0.1))]);
    // Its at-once open is still owed: rechecked (here when its SLA runs out) until its EscalationOpened is folded
    expect(nextRecheckAt(critical, timersOff, NOW)).toEqual(new Date('2026-03-01T13:36:00.001Z'));
    const allOff = rulesWith({ ...timersOff.rules, criticalComplaint: { ...SHIPPED_RULES.criticalComplaint, enabled: false } });
    expect(nextRecheckAt(critical, allOff, NOW)).toBeNull();
  });

  it('comes at least daily while a timer is pending, so one the queue lost is planned again', () => {
    const off = rulesWith({ bandRed: { enabled: false }, satisfactionDrop: { ...SHIPPED_RULES.satisfactionDrop, enabled: false } });
    const owed = watchOf([at.opened(daysAgo(50)), at.invoiceIssued('inv-1', 100, '2026-03-20', daysAgo(1))]);
    expect(nextRecheckAt(owed, off, NOW)).toEqual(new Date('2026-03-02T00:00:00.000Z'));
    const complaint = watchOf([at.opened(daysAgo(50)), at.complaintRaised('c-1', daysAgo(0.1), { slaDueAt: '2026-03-04T00:00:00.000Z' })]);
    expect(nextRecheckAt(complaint, off, NOW)).toEqual(new Date('2026-03-02T00:00:00.000Z'));
  });

  it('comes daily for a churned account while a timer is pending, and never once none is', () => {
    const ended = { startsOn: '2025-01-01', endsOn: '2026-01-31', annualValue: 12_000_000 };
    const opening = at.opened(daysAgo(400));
    const churned = [{ ...opening, data: { ...(opening.data as object), contract: ended } } as HistoryEvent, at.renewalLost(daysAgo(60))];
    expect(nextRecheckAt(watchOf(churned), SPEC_OPTIONS, NOW)).toBeNull();
    const owed = watchOf([...churned, at.invoiceIssued('inv-1', 100, '2026-03-20', daysAgo(1))]);
    expect(nextRecheckAt(owed, SPEC_OPTIONS, NOW)).toEqual(new Date('2026-03-02T00:00:00.000Z'));
  });
});

describe('deterministic decisions', () => {
  const HISTORY: HistoryEvent[] = [
    at.opened(daysAgo(20)),
    at.complaintRaised('c-1', daysAgo(10)),
    at.invoiceIssued('inv-1', 1_000, '2026-02-20', daysAgo(10)),
    at.nps(2, daysAgo(9), 'Slow'),
    at.csat(5, daysAgo(8)),
    at.csat(1, daysAgo(7)),
    at.escalationOpened(fallingEpisodeEscalationId(ACCOUNT, 1), 'satisfaction-drop', daysAgo(7)),
    at.renewalLost(daysAgo(6)),
    at.escalationOpened(redEpisodeEscalationId(ACCOUNT, 1), 'band-red', daysAgo(6)),
    at.complaintResolved('c-1', daysAgo(5)),
    at.invoicePaid('inv-1', 1_000, daysAgo(4)),
    at.renewalWon(daysAgo(3)),
    at.escalationResolved(redEpisodeEscalationId(ACCOUNT, 1), daysAgo(3)),
    at.renewalLost(daysAgo(2)),
    at.escalationOpened(redEpisodeEscalationId(ACCOUNT, 2), 'band-red', daysAgo(2)),
    at.accountClosed(daysAgo(1)),
  ];

  it('plans the same jobs with the same ids every time the history is read', () => {
    const first = decisionsOf(HISTORY);
    expect(decisionsOf(HISTORY)).toEqual(first);
    const ids = jobIdsOf(first);
    expect(ids).toEqual([
      `open-${complaintEscalationId(ACCOUNT, 'critical-complaint', 'c-1')}`,
      `open-${complaintEscalationId(ACCOUNT, 'complaint-sla-breach', 'c-1')}`,
      `open-${invoiceEscalationId(ACCOUNT, 'inv-1')}`,
      `open-${detractorEscalationId(ACCOUNT, eventIdAt(3))}`,
      `open-${fallingEpisodeEscalationId(ACCOUNT, 1)}`,
      `open-${redEpisodeEscalationId(ACCOUNT, 1)}`,
      `resolve-${redEpisodeEscalationId(ACCOUNT, 1)}`,
      `open-${redEpisodeEscalationId(ACCOUNT, 2)}`,
      `resolve-${fallingEpisodeEscalationId(ACCOUNT, 1)}`,
      `resolve-${redEpisodeEscalationId(ACCOUNT, 2)}`,
    ]);
    for (const id of [...ids, ...first.flatMap((decision) => decision.cancellations)]) expect(id).toMatch(/^(open|resolve)-[A-Za-z0-9_-]{1,120}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('plans the same ids again for a re-delivered event, and the watch does not count it twice', () => {
    let watch = initialEscalationWatch(ACCOUNT);
    const twice: WorkflowDecision[] = [];
    for (const [revision, event] of HISTORY.entries()) {
      const envelope = envelopeOf(event, revision);
      const first = applyEscalationEvent(watch, envelope, SPEC_OPTIONS, NOW);
      const again = applyEscalationEvent(first.watch, envelope, SPEC_OPTIONS, NOW);
      expect(again.watch).toBe(first.watch);
      const firstIds = new Set(first.decision.jobs.map((job) => job.id));
      for (const job of again.decision.jobs) expect(firstIds).toContain(job.id);
      twice.push(first.decision, again.decision);
      watch = again.watch;
    }
    expect(watch).toEqual(watchOf(HISTORY));
    // Stored as JSON by the process manager: nothing may be lost on the way
    expect(JSON.parse(JSON.stringify(watch))).toEqual(watch);
    expect(new Set(jobIdsOf(twice))).toEqual(new Set(jobIdsOf(decisionsOf(HISTORY))));
  });

  it('names escalations per account', () => {
    const raised = envelopeOf(at.complaintRaised('c-1', daysAgo(1)), 1, 'globex');
    const opened = (accountId: string) => evolveEscalationWatch(initialEscalationWatch(accountId), envelopeOf(at.opened(daysAgo(2)), 0, accountId), SPEC_OPTIONS);
    const other = opened('globex');
    const decision = decideEscalations(other, evolveEscalationWatch(other, raised, SPEC_OPTIONS), raised, SPEC_OPTIONS, NOW);
    const ours = given([at.opened(daysAgo(2))]).when(at.complaintRaised('c-1', daysAgo(1))).decision;
    expect(decision.jobs.map((job) => job.id)).toHaveLength(2);
    expect(decision.jobs.map((job) => job.id)).not.toEqual(ours.jobs.map((job) => job.id));
  });

  it('reads two years of a realistic account with the shipped scorecard, the same way twice', () => {
    const options = { rules: { ...SHIPPED_RULES, maxAgeDays: 3650 }, scoring: loadScoringRules() };
    const decisions = decisionsOf(REALISTIC_HISTORY, options, new Date('2026-01-02T00:00:00Z'));
    expect(decisionsOf(REALISTIC_HISTORY, options, new Date('2026-01-02T00:00:00Z'))).toEqual(decisions);
    const rules = decisions.flatMap((decision) => decision.jobs.flatMap(({ job }) => (job.kind === 'open' ? [job.escalation.rule] : [])));
    expect(rules).toEqual(expect.arrayContaining(['critical-complaint', 'complaint-sla-breach', 'invoice-overdue', 'satisfaction-drop']));
    // The account closes last: the closure resolves what the history left open
    expect(decisions.at(-1)!.jobs.every((job) => job.job.kind === 'resolve')).toBe(true);
  });
});
