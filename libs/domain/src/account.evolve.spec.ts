import { EVENT_TYPES, type AccountEvent } from '@ahe/events';
import { evolve, foldEvents, type FoldableEvent } from './account.evolve';
import { initialState, type AccountState } from './account.state';
import { REALISTIC_HISTORY } from './testing/account-history';

function deepFreeze<Value>(value: Value): Value {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const nested of Object.values(value)) deepFreeze(nested);
  }
  return value;
}

const T0 = '2025-01-01T00:00:00Z';
const at = (occurredAt: string, event: AccountEvent): FoldableEvent => ({ ...event, occurredAt });

describe('evolve', () => {
  it('is exercised by a history holding every event type', () => {
    expect(new Set(REALISTIC_HISTORY.map((event) => event.type))).toEqual(new Set(EVENT_TYPES));
  });

  it('replays every event of the history twice with identical results', () => {
    const first: AccountState[] = [];
    const second: AccountState[] = [];
    REALISTIC_HISTORY.reduce((state, event) => (first.push(evolve(state, event)), first.at(-1)!), initialState());
    REALISTIC_HISTORY.reduce((state, event) => (second.push(evolve(state, event)), second.at(-1)!), initialState());
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('neither mutates the state nor the event it folds', () => {
    let state = deepFreeze(initialState());
    for (const event of REALISTIC_HISTORY) state = deepFreeze(evolve(state, deepFreeze(structuredClone(event))));
    expect(state).toEqual(foldEvents(REALISTIC_HISTORY));
  });

  it('folds the history into the account as it stands', () => {
    expect(foldEvents(REALISTIC_HISTORY)).toEqual({
      exists: true,
      closed: true,
      openedAt: '2024-01-02T09:00:00Z',
      closedAt: '2026-01-01T00:00:00Z',
      name: 'Northwind Traders',
      segment: 'enterprise',
      managerId: 'mgr-grace',
      currency: 'EUR',
      contract: { startsOn: '2024-01-01', endsOn: '2025-12-31', annualValue: 14_000_000 },
      renewalStatus: 'lost',
      openComplaints: {
        'cmp-vat': { severity: 'low', slaDueAt: '2024-08-12T09:00:00.000Z', raisedAt: '2024-08-05T09:00:00Z' },
      },
      resolvedComplaintIds: ['cmp-outage'],
      invoices: {
        'INV-2024-01': { amount: 3_000_000, paid: 3_000_000, dueOn: '2024-02-14', issuedAt: '2024-01-15T08:00:00Z' },
        'INV-2024-07': { amount: 3_000_000, paid: 3_000_000, dueOn: '2024-07-31', issuedAt: '2024-07-01T08:00:00Z' },
      },
      escalations: {
        'esc-cmp-outage-critical': { status: 'resolved', rule: 'critical-complaint', openedAt: '2024-04-03T07:15:01Z' },
        'esc-INV-2024-07-overdue': { status: 'resolved', rule: 'invoice-overdue', openedAt: '2024-08-20T00:00:00Z' },
      },
    });
  });

  it('is plain JSON: the audit API can serve it as it is', () => {
    const state = foldEvents(REALISTIC_HISTORY);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('keeps ids such as "__proto__" and "constructor" as ordinary entries', () => {
    const state = foldEvents([
      at(T0, { type: 'InvoiceIssued', data: { invoiceId: '__proto__', amount: 5, dueOn: '2025-02-01' } }),
      at(T0, { type: 'InvoiceIssued', data: { invoiceId: 'constructor', amount: 7, dueOn: '2025-02-01' } }),
      at('2025-01-02T00:00:00Z', { type: 'InvoicePaid', data: { invoiceId: '__proto__', amount: 5 } }),
    ]);
    expect(Object.keys(state.invoices)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(state.invoices)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(state.invoices))).toEqual({
      ['__proto__']: { amount: 5, paid: 5, dueOn: '2025-02-01', issuedAt: '2025-01-01T00:00:00Z' },
      constructor: { amount: 7, paid: 0, dueOn: '2025-02-01', issuedAt: '2025-01-01T00:00:00Z' },
    });
  });

  const contact = { channel: 'call', direction: 'inbound', summary: 'x' } as const;
  const opened = { name: 'A', segment: 's', managerId: 'm', currency: 'EUR' } as const;

  // Stored history may predate a rule; reading an account must never fail because of it.
  it.each<[string, FoldableEvent[]]>([
    ['events before AccountOpened', [at(T0, { type: 'ContactLogged', data: contact })]],
    [
      'a second AccountOpened',
      [at(T0, { type: 'AccountOpened', data: opened }), at(T0, { type: 'AccountOpened', data: { ...opened, currency: 'USD' } })],
    ],
    ['a payment on an unknown invoice', [at(T0, { type: 'InvoicePaid', data: { invoiceId: 'nope', amount: 1 } })]],
    [
      'a resolution of an unknown complaint',
      [at(T0, { type: 'ComplaintResolved', data: { complaintId: 'nope', resolution: 'x' } })],
    ],
    ['a renewal without a contract', [at(T0, { type: 'RenewalWon', data: { endsOn: '2026-01-01', annualValue: 1 } })]],
    [
      'escalation updates for an unknown escalation',
      [
        at(T0, { type: 'EscalationAcknowledged', data: { escalationId: 'nope' } }),
        at(T0, { type: 'EscalationResolved', data: { escalationId: 'nope', resolution: 'x' } }),
      ],
    ],
    [
      'events after AccountClosed',
      [...REALISTIC_HISTORY, at('2026-02-01T00:00:00Z', { type: 'ExpansionWon', data: { amount: 1, description: 'x' } })],
    ],
  ])('folds %s without throwing', (_case, events) => {
    expect(() => foldEvents(events)).not.toThrow();
  });
});
