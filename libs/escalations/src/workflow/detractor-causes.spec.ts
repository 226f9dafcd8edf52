import { detractorEscalationId } from './escalation-ids';
import { recheckEscalations } from './escalation-workflow';
import * as at from './testing/escalation-events';
import { ACCOUNT, daysAgo, daysLater, eventIdAt, given, NOW, rulesWith, SHIPPED_RULES, SPEC_OPTIONS, watchOf, type HistoryEvent } from './testing/escalation-specification';

const OPENED = at.opened(daysAgo(20));
const detractor: HistoryEvent = { ...at.nps(3, daysAgo(0.2), 'Support never called back'), correlationId: 'req-51' };
const survey = detractorEscalationId(ACCOUNT, eventIdAt(1));

describe('the sweep plans a lost NPS detractor open again', () => {
  it('plans it as its SatisfactionRecorded did, naming the survey, until its EscalationOpened is folded', () => {
    const [open] = given([OPENED]).when(detractor).decision.jobs;
    expect(open).toMatchObject({ id: `open-${survey}`, job: { escalation: { triggeringEventId: eventIdAt(1) }, correlationId: 'req-51' } });
    given([OPENED, detractor, at.contacted(daysAgo(0.1))]).whenRechecked(NOW).then([open!]);
    given([OPENED, detractor, at.escalationOpened(survey, 'satisfaction-drop', daysAgo(0.1))]).whenRechecked(NOW).thenNothing();
  });

  it('plans nothing for a promoter, a stale survey, a closed account, or with the rule switched off', () => {
    given([OPENED, at.nps(9, daysAgo(0.2))]).whenRechecked(NOW).thenNothing();
    given([OPENED, detractor]).whenRechecked(daysLater(31)).thenNothing();
    given([OPENED, detractor, at.accountClosed(daysAgo(0.1))]).whenRechecked(NOW).thenNothing();
    const off = rulesWith({ satisfactionDrop: { ...SHIPPED_RULES.satisfactionDrop, enabled: false } });
    given([OPENED, detractor], off).whenRechecked(NOW).thenNothing();
  });

  it('keeps only the surveys still owed an escalation, so the watch stays small', () => {
    expect(watchOf([OPENED, detractor]).detractors).toEqual({
      [eventIdAt(1)]: { eventId: eventIdAt(1), correlationId: 'req-51', occurredAt: daysAgo(0.2), score: 3, comment: 'Support never called back' },
    });
    expect(watchOf([OPENED, detractor, at.escalationOpened(survey, 'satisfaction-drop', daysAgo(0.1))]).detractors).toEqual({});
    // Another satisfaction-drop escalation (a falling trend's) leaves the survey owed
    const falling = at.escalationOpened(detractorEscalationId(ACCOUNT, 'another-survey'), 'satisfaction-drop', daysAgo(0.1));
    expect(Object.keys(watchOf([OPENED, detractor, falling]).detractors ?? {})).toEqual([eventIdAt(1)]);
    // Years of imported surveys: one more than maxAgeDays older than the account's latest event is dropped
    const imported = [at.opened(daysAgo(400)), at.nps(1, daysAgo(300)), at.nps(2, daysAgo(200)), at.contacted(daysAgo(1))];
    expect(watchOf(imported).detractors).toEqual({});
  });

  it('plans nothing of the kind for a watch stored before surveys were kept', () => {
    const { detractors: _kept, ...stored } = watchOf([OPENED, detractor]);
    expect(recheckEscalations(stored, SPEC_OPTIONS, NOW).decision.jobs).toEqual([]);
  });
});
