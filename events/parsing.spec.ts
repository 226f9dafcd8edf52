import { parseEventData } from './parsing';
import { EVENT_TYPES, type AccountEventType } from './registry';
import type { EventIssue } from './shared/issues';
import { VALID_PAYLOADS } from './testing/event-fixtures';

function issuesOf(type: string, data: unknown): readonly EventIssue[] {
  const result = parseEventData(type, data);
  if (result.ok) throw new Error(`expected ${type} to be rejected: ${JSON.stringify(data)}`);
  return result.issues;
}

describe('parseEventData', () => {
  it.each(EVENT_TYPES)('accepts a valid %s payload and pairs it with its type', (type) => {
    const result = parseEventData(type, VALID_PAYLOADS[type]);

    expect(result).toEqual({ ok: true, event: { type, data: VALID_PAYLOADS[type] } });
  });

  const invalid: { readonly [Type in AccountEventType]: readonly [unknown, EventIssue] } = {
    AccountOpened: [
      { ...VALID_PAYLOADS.AccountOpened, currency: 'eur' },
      { path: 'currency', message: 'currency must be an ISO 4217 currency code of 3 upper-case letters, e.g. EUR' },
    ],
    AccountManagerAssigned: [{}, { path: 'managerId', message: 'managerId is required' }],
    ContactLogged: [
      { ...VALID_PAYLOADS.ContactLogged, channel: 'fax' },
      { path: 'channel', message: 'channel must be one of "email", "call", "meeting", "chat", "other"' },
    ],
    ComplaintRaised: [
      { ...VALID_PAYLOADS.ComplaintRaised, slaDueAt: '2025-03-02 10:00' },
      { path: 'slaDueAt', message: 'slaDueAt must be an ISO 8601 UTC timestamp, e.g. 2025-01-31T09:30:00Z' },
    ],
    ComplaintResolved: [
      { ...VALID_PAYLOADS.ComplaintResolved, resolution: '   ' },
      { path: 'resolution', message: 'resolution must not be blank' },
    ],
    SatisfactionRecorded: [
      { ...VALID_PAYLOADS.SatisfactionRecorded, kind: 'ces' },
      { path: 'kind', message: 'kind must be one of "csat", "nps"' },
    ],
    InvoiceIssued: [
      { ...VALID_PAYLOADS.InvoiceIssued, amount: 10.5 },
      { path: 'amount', message: 'amount must be an integer' },
    ],
    InvoicePaid: [
      { ...VALID_PAYLOADS.InvoicePaid, amount: 0 },
      { path: 'amount', message: 'amount must be greater than 0' },
    ],
    RenewalWon: [
      { ...VALID_PAYLOADS.RenewalWon, endsOn: '2026-02-30' },
      { path: 'endsOn', message: 'endsOn must be a calendar date YYYY-MM-DD, e.g. 2025-01-31' },
    ],
    RenewalLost: [{ reason: 42 }, { path: 'reason', message: 'reason must be a string' }],
    ExpansionWon: [
      { ...VALID_PAYLOADS.ExpansionWon, amount: -100 },
      { path: 'amount', message: 'amount must be greater than 0' },
    ],
    AccountClosed: [{ reason: '' }, { path: 'reason', message: 'reason must not be blank' }],
    EscalationOpened: [
      { ...VALID_PAYLOADS.EscalationOpened, rule: 'gut-feeling' },
      {
        path: 'rule',
        message:
          'rule must be one of "critical-complaint", "complaint-sla-breach", "invoice-overdue", "band-red", "satisfaction-drop"',
      },
    ],
    EscalationAcknowledged: [
      { escalationId: 'esc:1' },
      {
        path: 'escalationId',
        message: 'escalationId must be an id of 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"',
      },
    ],
    EscalationResolved: [
      { ...VALID_PAYLOADS.EscalationResolved, resolution: 'x'.repeat(10_001) },
      { path: 'resolution', message: 'resolution must be at most 10000 characters long' },
    ],
  };

  it.each(EVENT_TYPES)('rejects an invalid %s payload with an issue naming the field', (type) => {
    const [data, expected] = invalid[type];

    expect(issuesOf(type, data)).toEqual([expected]);
  });

  it.each(EVENT_TYPES)('rejects an unknown field on %s', (type) => {
    expect(issuesOf(type, { ...VALID_PAYLOADS[type], tenantId: 't-1' })).toEqual([
      { path: 'tenantId', message: 'tenantId is not a known field' },
    ]);
  });

  it('reports every problem of a payload, not only the first', () => {
    const issues = issuesOf('InvoiceIssued', { invoiceId: 'INV 1', amount: '100', extra: true, other: 1 });

    expect(issues.map((issue) => issue.path)).toEqual(['invoiceId', 'amount', 'dueOn', 'extra', 'other']);
    expect(issues.find((issue) => issue.path === 'amount')?.message).toBe('amount must be a number');
    expect(issues.find((issue) => issue.path === 'dueOn')?.message).toBe('dueOn is required');
  });

  it.each([null, 'AccountOpened', [], 7])('rejects a payload that is not an object (%p)', (data) => {
    expect(issuesOf('RenewalLost', data)).toEqual([{ path: '', message: 'data must be an object' }]);
  });

  it('rejects an unknown event type as an issue on the type', () => {
    expect(issuesOf('AccountMerged', {})).toEqual([
      { path: 'type', message: 'type "AccountMerged" is not a known event type' },
    ]);
  });

  it('does not treat inherited object keys as event types', () => {
    expect(issuesOf('toString', {})).toEqual([
      { path: 'type', message: 'type "toString" is not a known event type' },
    ]);
  });

  it('accepts optional fields left out', () => {
    const { contract: _contract, ...withoutContract } = VALID_PAYLOADS.AccountOpened;
    const { sentiment: _sentiment, ...withoutSentiment } = VALID_PAYLOADS.ContactLogged;

    expect(parseEventData('AccountOpened', withoutContract).ok).toBe(true);
    expect(parseEventData('ContactLogged', withoutSentiment).ok).toBe(true);
    expect(parseEventData('AccountManagerAssigned', { managerId: 'mgr-1' }).ok).toBe(true);
    expect(parseEventData('EscalationAcknowledged', { escalationId: 'esc-1' }).ok).toBe(true);
    expect(
      parseEventData('EscalationOpened', {
        escalationId: 'esc-1',
        rule: 'band-red',
        reason: 'Churn risk 81',
        triggeringEventId: 'evt-1',
      }).ok,
    ).toBe(true);
  });
});
