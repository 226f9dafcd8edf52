import { loadScoringRules } from '../scoring/scoring-rules.loader';
import { DAY_MS } from '../scoring/utc-calendar';
import { healthFactsOf, opened, type HistoryEvent } from './account-health.fixtures';
import { scoreAccountHealth } from './account-health.score';

const rules = loadScoringRules();
const day = (date: string) => Date.parse(`${date}T00:00:00.000Z`);

/** The instants at which a figure of the score changes: one example each, at and around its edge. */
describe('scoreAccountHealth at the edges of time (SLA, calendar days, due dates, contract, renewal)', () => {
  it('counts an SLA breach from the first instant after slaDueAt, and asks to be re-scored then', () => {
    const slaDueAt = '2024-03-01T10:00:00.000Z';
    const facts = healthFactsOf('a1', [
      opened('2024-02-01T09:00:00.000Z'),
      { type: 'ComplaintRaised', occurredAt: '2024-02-28T10:00:00.000Z', data: { complaintId: 'c1', severity: 'high', category: 'x', description: 'x', slaDueAt } },
    ]);
    const breaches = (at: number) => scoreAccountHealth(facts, rules, new Date(at)).factors.find((factor) => factor.name === 'slaBreaches')!;
    expect(breaches(Date.parse(slaDueAt) - 1)).toEqual({ name: 'slaBreaches', value: 0, points: 0 });
    expect(breaches(Date.parse(slaDueAt))).toEqual({ name: 'slaBreaches', value: 0, points: 0 });
    expect(breaches(Date.parse(slaDueAt) + 1)).toEqual({ name: 'slaBreaches', value: 1, points: rules.factors.slaBreaches.pointsEach });
    expect(scoreAccountHealth(facts, rules, new Date('2024-03-01T08:00:00.000Z')).rescoreAt).toBe('2024-03-01T10:00:00.001Z');
    expect(scoreAccountHealth(facts, rules, new Date(slaDueAt)).rescoreAt).toBe('2024-03-01T10:00:00.001Z');
    expect(scoreAccountHealth(facts, rules, new Date('2024-03-01T11:00:00.000Z')).rescoreAt).toBe('2024-03-02T00:00:00.000Z');
  });

  it('counts calendar days in UTC since the last contact, or since the account opened', () => {
    const facts = healthFactsOf('a1', [opened('2024-01-01T23:59:00.000Z')]);
    expect(scoreAccountHealth(facts, rules, new Date('2024-01-02T00:00:00.000Z')).daysSinceLastContact).toBe(1);
    const contacted = healthFactsOf('a1', [
      opened('2024-01-01T10:00:00.000Z'),
      { type: 'ContactLogged', occurredAt: '2024-02-10T23:00:00.000Z', data: { channel: 'email', direction: 'inbound', summary: 'hi' } },
      // Logged late, back-dated: the later contact still counts.
      { type: 'ContactLogged', occurredAt: '2024-02-01T09:00:00.000Z', data: { channel: 'email', direction: 'inbound', summary: 'hi' } },
    ]);
    expect(contacted.lastContactAt).toBe('2024-02-10T23:00:00.000Z');
    expect(scoreAccountHealth(contacted, rules, new Date('2024-03-11T00:00:00.000Z')).daysSinceLastContact).toBe(30);
  });

  it('counts an invoice overdue from the day after its due date, while anything is outstanding', () => {
    const invoiced = (paid: number) =>
      healthFactsOf('a1', [
        opened('2024-01-01T10:00:00.000Z'),
        { type: 'InvoiceIssued', occurredAt: '2024-01-02T10:00:00.000Z', data: { invoiceId: 'i1', amount: 1000, dueOn: '2024-01-31' } },
        ...(paid > 0 ? [{ type: 'InvoicePaid' as const, occurredAt: '2024-01-03T10:00:00.000Z', data: { invoiceId: 'i1', amount: paid } }] : []),
      ]);
    const overdue = (paid: number, at: string) => {
      const score = scoreAccountHealth(invoiced(paid), rules, new Date(at));
      return [score.overdueInvoices, score.factors.find((factor) => factor.name === 'daysOverdue')!.value];
    };
    expect(overdue(0, '2024-01-31T23:59:59.999Z')).toEqual([0, 0]);
    expect(overdue(0, '2024-02-01T00:00:00.000Z')).toEqual([1, 1]);
    expect(overdue(999, '2024-03-01T12:00:00.000Z')).toEqual([1, 30]);
    expect(overdue(1000, '2024-03-01T12:00:00.000Z')).toEqual([0, 0]);
    expect(scoreAccountHealth(invoiced(400), rules, new Date('2024-03-01T00:00:00.000Z')).ltv.realized).toBe(400);
  });

  it('expects the rest of the contract, today and its last day included, and nothing once closed', () => {
    const contract = { startsOn: '2024-01-01', endsOn: '2024-12-31', annualValue: 365_000 };
    const facts = healthFactsOf('a1', [opened('2024-01-01T10:00:00.000Z', contract)]);
    const ltv = (at: string) => scoreAccountHealth(facts, rules, new Date(at)).ltv;
    expect(ltv('2024-01-01T12:00:00.000Z')).toEqual({ realized: 0, expected: 366_000, total: 366_000, currency: 'EUR', model: 'contract' });
    expect(ltv('2024-12-31T12:00:00.000Z').expected).toBe(1000);
    expect(ltv('2025-01-01T00:00:00.000Z').expected).toBe(0);
    const closed = healthFactsOf('a1', [opened('2024-01-01T10:00:00.000Z', contract), { type: 'AccountClosed', occurredAt: '2024-02-01T10:00:00.000Z', data: { reason: 'x' } }]);
    const score = scoreAccountHealth(closed, rules, new Date('2024-06-01T00:00:00.000Z'));
    expect(score.ltv).toMatchObject({ expected: 0, model: 'none' });
    expect(score).toMatchObject({ status: 'closed', scoredAt: '2024-02-01T10:00:00.000Z', rescoreAt: null, daysSinceLastContact: 31 });
    expect(healthFactsOf('none', [opened('2024-01-01T10:00:00.000Z')]).state.contract).toBeNull();
  });

  it('flags a lost renewal, and a renewal approaching without contact', () => {
    const contract = { startsOn: '2024-01-01', endsOn: '2024-12-31', annualValue: 365_000 };
    const { withinDays, noContactForDays } = rules.factors.renewalApproaching;
    const facts = healthFactsOf('a1', [opened('2024-01-01T10:00:00.000Z', contract)]);
    const points = (events: HistoryEvent[], at: number, name: string) =>
      scoreAccountHealth(healthFactsOf('a1', events), rules, new Date(at)).factors.find((factor) => factor.name === name)!.points;
    const base = [opened('2024-01-01T10:00:00.000Z', contract)];
    const windowOpens = day('2024-12-31') - withinDays * DAY_MS;
    expect(points(base, windowOpens, 'renewalApproaching')).toBe(rules.factors.renewalApproaching.points);
    expect(points(base, windowOpens - 1, 'renewalApproaching')).toBe(0);
    const lost: HistoryEvent[] = [...base, { type: 'RenewalLost', occurredAt: '2024-09-01T10:00:00.000Z', data: { reason: 'price' } }];
    expect(points(lost, windowOpens, 'renewalLost')).toBe(rules.factors.renewalLost.points);
    expect(points(lost, windowOpens, 'renewalApproaching')).toBe(0);
    expect(noContactForDays).toBeLessThan(365 - withinDays);
    expect(facts.state.renewalStatus).toBe('undecided');
  });

  it('churns the account at its contract\'s end after a lost renewal, and scores it as of then', () => {
    const contract = { startsOn: '2024-01-01', endsOn: '2024-12-31', annualValue: 365_000 };
    const lost: HistoryEvent = { type: 'RenewalLost', occurredAt: '2024-09-01T10:00:00.000Z', data: { reason: 'price' } };
    const facts = healthFactsOf('a1', [opened('2024-01-01T10:00:00.000Z', contract), lost]);
    const lastDay = scoreAccountHealth(facts, rules, new Date('2024-12-31T23:59:59.999Z'));
    expect(lastDay).toMatchObject({ status: 'open', rescoreAt: '2025-01-01T00:00:00.000Z' });
    expect(lastDay.ltv.expected).toBe(1000);
    const churned = scoreAccountHealth(facts, rules, new Date('2025-01-01T00:00:00.000Z'));
    expect(churned).toMatchObject({ status: 'churned', scoredAt: '2025-01-01T00:00:00.000Z', rescoreAt: null, ltvFit: null });
    expect(churned.ltv).toMatchObject({ expected: 0, model: 'contract' });
    const later = scoreAccountHealth(facts, rules, new Date('2025-06-01T00:00:00.000Z'));
    expect(later).toEqual(churned);

    // A renewal won after the end takes the account back; a closure afterwards closes it, scored as of the churn.
    const wonBack = healthFactsOf('a1', [opened('2024-01-01T10:00:00.000Z', contract), lost,
      { type: 'RenewalWon', occurredAt: '2025-02-01T10:00:00.000Z', data: { endsOn: '2025-12-31', annualValue: 365_000 } }]);
    expect(scoreAccountHealth(wonBack, rules, new Date('2025-06-01T00:00:00.000Z'))).toMatchObject({ status: 'open', scoredAt: '2025-06-01T00:00:00.000Z' });
    const closedLater = healthFactsOf('a1', [opened('2024-01-01T10:00:00.000Z', contract), lost,
      { type: 'AccountClosed', occurredAt: '2025-03-01T10:00:00.000Z', data: { reason: 'gone' } }]);
    expect(scoreAccountHealth(closedLater, rules, new Date('2025-06-01T00:00:00.000Z'))).toMatchObject({ status: 'closed', scoredAt: '2025-01-01T00:00:00.000Z', rescoreAt: null });

    const closedFirst = healthFactsOf('a1', [opened('2024-01-01T10:00:00.000Z', contract), lost,
      { type: 'AccountClosed', occurredAt: '2024-11-15T10:00:00.000Z', data: { reason: 'gone early' } }]);
    expect(scoreAccountHealth(closedFirst, rules, new Date('2025-06-01T00:00:00.000Z'))).toMatchObject({ status: 'closed', scoredAt: '2024-11-15T10:00:00.000Z', rescoreAt: null });

    // A loss recorded after the contract had ended churns the account from when it occurred.
    const lateLoss = healthFactsOf('a1', [opened('2024-01-01T10:00:00.000Z', contract), { ...lost, occurredAt: '2025-01-10T09:00:00.000Z' }]);
    expect(scoreAccountHealth(lateLoss, rules, new Date('2025-02-01T00:00:00.000Z'))).toMatchObject({ status: 'churned', scoredAt: '2025-01-10T09:00:00.000Z' });
  });
});
