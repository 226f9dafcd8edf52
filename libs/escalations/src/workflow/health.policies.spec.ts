import { detractorEscalationId, fallingEpisodeEscalationId, redEpisodeEscalationId } from './escalation-ids';
import { bandRedPolicy, satisfactionDropPolicy } from './health.policies';
import * as at from './testing/escalation-events';
import { ACCOUNT, askPolicy as ask, daysAgo, eventIdAt, SHIPPED_RULES } from './testing/escalation-specification';

const red = (episode: number) => redEpisodeEscalationId(ACCOUNT, episode);
const falling = (episode: number) => fallingEpisodeEscalationId(ACCOUNT, episode);

describe('bandRedPolicy', () => {
  const recent = at.opened(daysAgo(10));
  const turnedRed = [recent, at.renewalLost(daysAgo(3))];

  it('opens while the band is red, naming the factors, numbered by the band-red escalations on the stream', () => {
    expect(ask(bandRedPolicy, [recent], at.renewalLost(daysAgo(1)))).toEqual([
      { kind: 'open', escalationId: red(1), rule: 'band-red', reason: 'Risk band turned red: churn risk 14 (renewalLost +14)', condition: { kind: 'always' } },
    ]);
    // Not appended yet: every decision asks for the same escalation, and the queue keeps one job
    expect(ask(bandRedPolicy, turnedRed, at.contacted(daysAgo(1)))).toMatchObject([{ kind: 'open', escalationId: red(1) }]);
    const episodeOver = [...turnedRed, at.escalationOpened(red(1), 'band-red', daysAgo(3)), at.renewalWon(daysAgo(2)), at.escalationResolved(red(1), daysAgo(2))];
    expect(ask(bandRedPolicy, episodeOver, at.renewalLost(daysAgo(1)))).toMatchObject([{ kind: 'open', escalationId: red(2) }]);
  });

  it('says nothing while a band-red escalation is open or acknowledged, even one of an earlier red stretch', () => {
    const escalated = [...turnedRed, at.escalationOpened(red(1), 'band-red', daysAgo(3))];
    expect(ask(bandRedPolicy, escalated, at.contacted(daysAgo(1)))).toEqual([]);
    expect(ask(bandRedPolicy, [...escalated, at.escalationAcknowledged(red(1), daysAgo(2))], at.contacted(daysAgo(1)))).toEqual([]);
    // Its resolution is still on the way: the next red stretch waits for it
    expect(ask(bandRedPolicy, [...escalated, at.renewalWon(daysAgo(2))], at.renewalLost(daysAgo(1)))).toEqual([]);
  });

  it('does not reopen what someone resolved by hand while the band stayed red', () => {
    const resolvedByHand = [...turnedRed, at.escalationOpened(red(1), 'band-red', daysAgo(3)), at.escalationResolved(red(1), daysAgo(2))];
    expect(ask(bandRedPolicy, resolvedByHand, at.contacted(daysAgo(1)))).toEqual([]);
  });

  it('leaves resolving to the cause-gone policy', () => {
    expect(ask(bandRedPolicy, [...turnedRed, at.escalationOpened(red(1), 'band-red', daysAgo(3))], at.renewalWon(daysAgo(1)))).toEqual([]);
  });

  it('opens nothing for a red stretch that began more than maxAgeDays ago, or with the rule off', () => {
    const longRed = [at.opened(daysAgo(100)), at.contacted(daysAgo(41)), at.renewalLost(daysAgo(40))];
    expect(ask(bandRedPolicy, longRed, at.contacted(daysAgo(1)))).toEqual([]);
    expect(ask(bandRedPolicy, [recent], at.renewalLost(daysAgo(1)), { ...SHIPPED_RULES, bandRed: { enabled: false } })).toEqual([]);
  });
});

describe('satisfactionDropPolicy', () => {
  const OPENED = at.opened(daysAgo(400));
  const history = [OPENED, at.csat(5, daysAgo(60))];
  const fell = [...history, at.csat(2, daysAgo(1))];

  it('opens for an NPS detractor, one escalation per survey', () => {
    expect(ask(satisfactionDropPolicy, [OPENED], at.nps(6, daysAgo(1), 'Support never calls back'))).toEqual([
      {
        kind: 'open',
        escalationId: detractorEscalationId(ACCOUNT, eventIdAt(1)),
        rule: 'satisfaction-drop',
        reason: 'NPS detractor: scored 6 of 10: "Support never calls back"',
        condition: { kind: 'always' },
      },
    ]);
    expect(ask(satisfactionDropPolicy, [OPENED], at.nps(7, daysAgo(1)))).toEqual([]);
    expect(ask(satisfactionDropPolicy, [OPENED], at.csat(1, daysAgo(1)))).toEqual([]);
    expect(ask(satisfactionDropPolicy, [OPENED], at.nps(0, daysAgo(31)))).toEqual([]);
  });

  it('opens while the trend is below trendBelow and no falling-trend escalation is open', () => {
    // 100 → 25 points over 60 days: -37.5 per 30 days
    expect(ask(satisfactionDropPolicy, history, at.csat(2, daysAgo(0)))).toEqual([
      {
        kind: 'open',
        escalationId: falling(1),
        rule: 'satisfaction-drop',
        reason: 'Satisfaction trend -37.5 points per 30 days, below -15',
        condition: { kind: 'always' },
      },
    ]);
    expect(ask(satisfactionDropPolicy, fell, at.contacted(daysAgo(0)))).toMatchObject([{ escalationId: falling(1) }]);
    expect(ask(satisfactionDropPolicy, [...fell, at.escalationOpened(falling(1), 'satisfaction-drop', daysAgo(1))], at.csat(1, daysAgo(0)))).toEqual([]);
    // 100 → 75 over 60 days: -12.5, above the threshold
    expect(ask(satisfactionDropPolicy, history, at.csat(4, daysAgo(0)))).toEqual([]);
  });

  it('tells a detractor escalation from a falling-trend one, and never reopens one resolved by hand in the same stretch', () => {
    const detractor = detractorEscalationId(ACCOUNT, 'acme-e9');
    expect(ask(satisfactionDropPolicy, [...history, at.escalationOpened(detractor, 'satisfaction-drop', daysAgo(2))], at.csat(2, daysAgo(0)))).toMatchObject([
      { escalationId: falling(1) },
    ]);
    const resolvedByHand = [...fell, at.escalationOpened(falling(1), 'satisfaction-drop', daysAgo(1)), at.escalationResolved(falling(1), daysAgo(0.5))];
    expect(ask(satisfactionDropPolicy, resolvedByHand, at.csat(1, daysAgo(0)))).toEqual([]);
  });

  it('opens nothing at all with the rule off', () => {
    const off = { ...SHIPPED_RULES, satisfactionDrop: { ...SHIPPED_RULES.satisfactionDrop, enabled: false } };
    expect(ask(satisfactionDropPolicy, [OPENED], at.nps(0, daysAgo(1)), off)).toEqual([]);
    expect(ask(satisfactionDropPolicy, history, at.csat(1, daysAgo(0)), off)).toEqual([]);
  });
});
