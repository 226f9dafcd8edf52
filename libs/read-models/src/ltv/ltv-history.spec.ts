import type { FoldableEvent } from '@ahe/domain';
import { EVENT_TYPES } from '@ahe/events';
import { bearsOnLtv, evolveLtvHistory, initialLtvHistory } from './ltv-history';
import { closed, foldLtv, invoice, on, openedWithContract, openedWithoutContract, renewalLost, renewalWon } from './ltv.fixtures';

const contract = { startsOn: '2024-01-01', endsOn: '2024-12-31', annualValue: 120_000 };

describe('evolveLtvHistory', () => {
  it('starts empty', () => {
    expect(initialLtvHistory()).toEqual({ segment: '', currency: '', contractual: false, contract: null, renewalsWon: 0, lostAt: null, closedAt: null, purchases: [] });
  });

  it('takes segment, currency and contract from AccountOpened', () => {
    expect(foldLtv([openedWithContract('2024-01-01T09:00:00.000Z', 'enterprise', contract)])).toMatchObject({
      segment: 'enterprise',
      currency: 'EUR',
      contractual: true,
      contract: { endsOn: '2024-12-31', annualValue: 120_000 },
    });
    expect(foldLtv([openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb', 'JPY')])).toMatchObject({ currency: 'JPY', contractual: false, contract: null });
  });

  it('counts won renewals, moves the contract on, and clears a lost renewal that is won back', () => {
    const history = foldLtv([
      openedWithContract('2024-01-01T09:00:00.000Z', 'smb', contract),
      renewalLost('2024-11-01T09:00:00.000Z'),
      renewalWon('2024-12-01T09:00:00.000Z', '2025-12-31', 150_000),
      renewalWon('2025-12-01T09:00:00.000Z', '2026-12-31', 160_000),
    ]);
    expect(history).toMatchObject({ renewalsWon: 2, lostAt: null, contract: { endsOn: '2026-12-31', annualValue: 160_000 } });
  });

  it('records when the renewal was lost and when the account closed', () => {
    const history = foldLtv([openedWithContract('2024-01-01T09:00:00.000Z', 'smb', contract), renewalLost('2024-11-01T09:00:00.000Z'), closed('2024-12-31T18:00:00.000Z')]);
    expect(history).toMatchObject({ renewalsWon: 0, lostAt: '2024-11-01T09:00:00.000Z', closedAt: '2024-12-31T18:00:00.000Z' });
  });

  it('makes one purchase per UTC day, ascending by day even when an invoice is back-dated', () => {
    const history = foldLtv([
      openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb'),
      invoice('2024-01-10T08:00:00.000Z', 1_000),
      invoice('2024-01-10T23:59:59.999Z', 500),
      invoice('2024-01-24T00:00:00.000Z', 2_000),
      invoice('2024-01-03T12:00:00.000Z', 700),
      invoice('2024-01-11T00:00:00.000Z', 300),
      invoice('2024-01-24T10:00:00+02:00', 50),
    ]);
    const day = (date: string) => Date.parse(date) / 86_400_000;
    expect(history.purchases).toEqual([
      [day('2024-01-03'), 700],
      [day('2024-01-10'), 1_500],
      [day('2024-01-11'), 300],
      [day('2024-01-24'), 2_050],
    ]);
  });

  it('returns the same object for events that do not bear on value', () => {
    const history = foldLtv([openedWithContract('2024-01-01T09:00:00.000Z', 'smb', contract)]);
    const unchanged = [
      on('2024-02-01T09:00:00.000Z', { type: 'ContactLogged', data: { channel: 'call', direction: 'outbound', summary: 'catch-up' } }),
      on('2024-02-02T09:00:00.000Z', { type: 'SatisfactionRecorded', data: { kind: 'nps', score: 9 } }),
      on('2024-02-03T09:00:00.000Z', { type: 'InvoicePaid', data: { invoiceId: 'inv-x', amount: 100 } }),
      on('2024-02-04T09:00:00.000Z', { type: 'ExpansionWon', data: { amount: 100, description: 'seats' } }),
    ];
    for (const event of unchanged) expect(evolveLtvHistory(history, event)).toBe(history);
  });

  it('is a pure fold: the same events give the same history, and the input is never changed', () => {
    const events = [openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb'), invoice('2024-01-10T08:00:00.000Z', 1_000), invoice('2024-01-05T08:00:00.000Z', 400)];
    const first = foldLtv(events);
    const frozen = JSON.stringify(first);
    evolveLtvHistory(first, invoice('2024-01-07T08:00:00.000Z', 1));
    expect(JSON.stringify(first)).toBe(frozen);
    expect(foldLtv(events)).toEqual(first);
  });

  it('changes the history for an event of every type bearsOnLtv says it folds, and for no other', () => {
    const history = foldLtv([openedWithContract('2024-01-01T09:00:00.000Z', 'smb', contract)]);
    const folded = [
      openedWithoutContract('2024-01-02T09:00:00.000Z', 'mid'),
      renewalWon('2024-12-01T09:00:00.000Z', '2025-12-31', 150_000),
      renewalLost('2024-11-01T09:00:00.000Z'),
      closed('2024-12-31T18:00:00.000Z'),
      invoice('2024-02-01T09:00:00.000Z', 100),
    ];
    expect(new Set(folded.map((event) => event.type))).toEqual(new Set(EVENT_TYPES.filter(bearsOnLtv)));
    for (const event of folded) expect(evolveLtvHistory(history, event)).not.toBe(history);
  });

  it('hands back the same history for every event bearsOnLtv says it passes over', () => {
    const history = initialLtvHistory();
    const passedOver = EVENT_TYPES.filter((type) => !bearsOnLtv(type));
    expect(passedOver.length).toBeGreaterThan(0);
    for (const type of passedOver) {
      expect(evolveLtvHistory(history, { type, data: {}, occurredAt: '2024-01-01T00:00:00.000Z' } as unknown as FoldableEvent)).toBe(history);
    }
  });
});
