import {
  addIncrement,
  evolveTrendAccount,
  initialTrendAccount,
  periodStartOf,
  surveyIncrements,
  TrendAccountNotOpenedError,
  type TrendAccount,
  type TrendSums,
} from './satisfaction-trends.evolve';

let nextRevision = 0;
function envelope(type: string, data: unknown, occurredAt = '2024-05-08T10:00:00.000Z') {
  return { eventId: `evt-${nextRevision}`, type, data, occurredAt, revision: nextRevision++ };
}

const OPENED = { name: 'Acme', segment: 'enterprise', managerId: 'mgr-ada', currency: 'EUR' };
const OPEN_ACCOUNT: TrendAccount = { accountId: 'acme', segment: 'enterprise', managerId: 'mgr-ada', revision: 0 };

describe('periodStartOf', () => {
  it.each([
    ['2024-05-06T00:00:00.000Z', '2024-05-06'],
    ['2024-05-12T23:59:59.999Z', '2024-05-06'],
    ['2024-05-13T00:00:00.000Z', '2024-05-13'],
    ['2021-01-01T12:00:00.000Z', '2020-12-28'],
    ['1970-01-01T00:00:00.000Z', '1969-12-29'],
    ['1969-12-31T23:00:00.000Z', '1969-12-29'],
    // an offset instant is bucketed by its UTC day
    ['2024-05-13T01:00:00+02:00', '2024-05-06'],
  ])('puts %s in the ISO week starting %s', (instant, monday) => {
    expect(periodStartOf('week', instant)).toBe(monday);
  });

  it('puts an instant in its UTC month', () => {
    expect(periodStartOf('month', '2024-02-29T23:59:59.999Z')).toBe('2024-02-01');
    expect(periodStartOf('month', '2024-03-01T00:30:00+01:00')).toBe('2024-02-01');
  });

  it('rejects something that is not an instant', () => {
    expect(() => periodStartOf('week', 'yesterday')).toThrow(RangeError);
  });
});

describe('surveyIncrements', () => {
  it('adds one response to each grouping × interval, on the 0–100 scale', () => {
    const increments = surveyIncrements(OPEN_ACCOUNT, '2024-05-12T08:00:00.000Z', { kind: 'csat', score: 4 });
    expect(increments.map((i) => [i.groupBy, i.groupKey, i.interval, i.periodStart])).toEqual([
      ['account', 'acme', 'week', '2024-05-06'],
      ['account', 'acme', 'month', '2024-05-01'],
      ['segment', 'enterprise', 'week', '2024-05-06'],
      ['segment', 'enterprise', 'month', '2024-05-01'],
      ['manager', 'mgr-ada', 'week', '2024-05-06'],
      ['manager', 'mgr-ada', 'month', '2024-05-01'],
    ]);
    expect(increments[0]).toMatchObject({ responses: 1, scoreSum: 75, csatResponses: 1, csatSum: 75, npsResponses: 0, npsPromoters: 0, npsDetractors: 0 });
  });

  it.each([
    [10, 1, 0],
    [9, 1, 0],
    [8, 0, 0],
    [7, 0, 0],
    [6, 0, 1],
    [0, 0, 1],
  ])('counts nps %i as %i promoter(s) and %i detractor(s)', (score, promoters, detractors) => {
    const [increment] = surveyIncrements(OPEN_ACCOUNT, '2024-05-12T08:00:00.000Z', { kind: 'nps', score });
    expect(increment).toMatchObject({ responses: 1, scoreSum: score * 10, csatResponses: 0, csatSum: 0, npsResponses: 1, npsPromoters: promoters, npsDetractors: detractors });
  });
});

describe('evolveTrendAccount', () => {
  it('takes segment and manager from AccountOpened and the new manager from AccountManagerAssigned', () => {
    let account = evolveTrendAccount(initialTrendAccount('acme'), envelope('AccountOpened', OPENED)).account;
    expect(account).toMatchObject({ segment: 'enterprise', managerId: 'mgr-ada' });
    const before = evolveTrendAccount(account, envelope('SatisfactionRecorded', { kind: 'nps', score: 9 }));
    account = evolveTrendAccount(before.account, envelope('AccountManagerAssigned', { managerId: 'mgr-grace', previousManagerId: 'mgr-ada' })).account;
    // back-dated: still counts for the manager who owns the account when it is folded
    const after = evolveTrendAccount(account, envelope('SatisfactionRecorded', { kind: 'nps', score: 3 }, '2020-01-01T00:00:00.000Z'));
    expect(before.increments.find((i) => i.groupBy === 'manager')!.groupKey).toBe('mgr-ada');
    expect(after.increments.find((i) => i.groupBy === 'manager')!.groupKey).toBe('mgr-grace');
    expect(after.increments.find((i) => i.groupBy === 'manager')!.periodStart).toBe('2019-12-30');
  });

  it('only advances the revision for other and unknown event types', () => {
    const contact = envelope('ContactLogged', { channel: 'call', direction: 'outbound', summary: 'hi' });
    expect(evolveTrendAccount(OPEN_ACCOUNT, contact)).toEqual({ account: { ...OPEN_ACCOUNT, revision: contact.revision }, increments: [] });
    const unknown = envelope('SurveyImported', { anything: true });
    expect(evolveTrendAccount(OPEN_ACCOUNT, unknown)).toEqual({ account: { ...OPEN_ACCOUNT, revision: unknown.revision }, increments: [] });
  });

  it('throws, naming the account and the event, for a survey or a handover before AccountOpened', () => {
    const survey = envelope('SatisfactionRecorded', { kind: 'csat', score: 5 });
    expect(() => evolveTrendAccount(initialTrendAccount('ghost'), survey)).toThrow(TrendAccountNotOpenedError);
    expect(() => evolveTrendAccount(initialTrendAccount('ghost'), survey)).toThrow(/ghost.*SatisfactionRecorded evt-/);
    const handover = envelope('AccountManagerAssigned', { managerId: 'mgr-x' });
    expect(() => evolveTrendAccount(initialTrendAccount('ghost'), handover)).toThrow(/ghost/);
  });
});

describe('addIncrement', () => {
  it('sums increments of one bucket and keeps buckets apart', () => {
    const sums = new Map<string, TrendSums>();
    const first = surveyIncrements(OPEN_ACCOUNT, '2024-05-06T00:00:00.000Z', { kind: 'nps', score: 10 });
    const firstCopy = structuredClone(first);
    for (const increment of first) addIncrement(sums, increment);
    for (const increment of surveyIncrements(OPEN_ACCOUNT, '2024-05-07T00:00:00.000Z', { kind: 'csat', score: 1 })) addIncrement(sums, increment);
    for (const increment of surveyIncrements(OPEN_ACCOUNT, '2024-05-31T00:00:00.000Z', { kind: 'nps', score: 0 })) addIncrement(sums, increment);
    const week = [...sums.values()].filter((i) => i.groupBy === 'account' && i.interval === 'week');
    const month = [...sums.values()].filter((i) => i.groupBy === 'account' && i.interval === 'month');
    expect(sums.size).toBe(3 * 3);
    expect(week.map((i) => [i.periodStart, i.responses, i.scoreSum])).toEqual([['2024-05-06', 2, 100], ['2024-05-27', 1, 0]]);
    expect(month).toEqual([expect.objectContaining({ responses: 3, scoreSum: 100, csatResponses: 1, csatSum: 0, npsResponses: 2, npsPromoters: 1, npsDetractors: 1 })]);
    // sums are kept in objects of their own: the increments added stay as they were
    expect(first).toEqual(firstCopy);
  });
});
