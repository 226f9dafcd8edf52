import {
  assertNever,
  currentSchemaVersion,
  EVENT_REGISTRY,
  EVENT_TYPES,
  isAccountEventType,
  type AccountEvent,
} from './registry';

// Compiles only while every event type is handled: the point of assertNever.
function moneyMovedBy(event: AccountEvent): number {
  switch (event.type) {
    case 'InvoicePaid':
      return event.data.amount;
    case 'AccountOpened':
    case 'AccountManagerAssigned':
    case 'ContactLogged':
    case 'ComplaintRaised':
    case 'ComplaintResolved':
    case 'SatisfactionRecorded':
    case 'InvoiceIssued':
    case 'RenewalWon':
    case 'RenewalLost':
    case 'ExpansionWon':
    case 'AccountClosed':
    case 'EscalationOpened':
    case 'EscalationAcknowledged':
    case 'EscalationResolved':
      return 0;
    default:
      return assertNever(event);
  }
}

describe('event registry', () => {
  it('lists the fifteen catalogue events once each', () => {
    expect(EVENT_TYPES).toHaveLength(15);
    expect(new Set(EVENT_TYPES).size).toBe(15);
    expect(Object.keys(EVENT_REGISTRY)).toEqual([...EVENT_TYPES]);
  });

  it.each(EVENT_TYPES)('registers %s under its own type name', (type) => {
    expect(EVENT_REGISTRY[type].type).toBe(type);
    expect(currentSchemaVersion(type)).toBe(EVENT_REGISTRY[type].schemaVersion);
  });

  it('has ComplaintRaised at version 2 and everything else at version 1', () => {
    const versions = Object.fromEntries(EVENT_TYPES.map((type) => [type, currentSchemaVersion(type)]));

    expect(versions).toEqual({ ...Object.fromEntries(EVENT_TYPES.map((type) => [type, 1])), ComplaintRaised: 2 });
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(EVENT_REGISTRY)).toBe(true);
    expect(Object.isFrozen(EVENT_TYPES)).toBe(true);
    expect(Object.isFrozen(EVENT_REGISTRY.ComplaintRaised.upcasters)).toBe(true);
  });

  it('recognises event types and nothing else', () => {
    expect(isAccountEventType('RenewalWon')).toBe(true);
    expect(isAccountEventType('renewalWon')).toBe(false);
    expect(isAccountEventType('constructor')).toBe(false);
    expect(isAccountEventType(undefined)).toBe(false);
  });

  it('switches over events exhaustively', () => {
    expect(moneyMovedBy({ type: 'InvoicePaid', data: { invoiceId: 'inv-1', amount: 250 } })).toBe(250);
    expect(moneyMovedBy({ type: 'RenewalLost', data: { reason: 'budget' } })).toBe(0);
  });

  it('makes assertNever throw when an unexpected event reaches it at run time', () => {
    const fromTheFuture = { type: 'AccountMerged', data: {} } as never;

    expect(() => assertNever(fromTheFuture)).toThrow('Unhandled event type "AccountMerged"');
  });
});
