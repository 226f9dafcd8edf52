import { parseEventData } from '../parsing';
import type { AccountEventType } from '../registry';
import { VALID_PAYLOADS } from '../testing/event-fixtures';
import type { EventIssue } from './issues';

function issuesFor<Type extends AccountEventType>(type: Type, patch: Record<string, unknown>): readonly EventIssue[] {
  const result = parseEventData(type, { ...VALID_PAYLOADS[type], ...patch });
  return result.ok ? [] : result.issues;
}

const TEXT_FIELDS = [
  ['AccountOpened', 'name'],
  ['AccountOpened', 'segment'],
  ['ContactLogged', 'summary'],
  ['ComplaintRaised', 'category'],
  ['ComplaintRaised', 'description'],
  ['ComplaintResolved', 'resolution'],
  ['SatisfactionRecorded', 'comment'],
  ['RenewalLost', 'reason'],
  ['ExpansionWon', 'description'],
  ['AccountClosed', 'reason'],
  ['EscalationOpened', 'reason'],
  ['EscalationAcknowledged', 'by'],
  ['EscalationAcknowledged', 'note'],
  ['EscalationResolved', 'resolution'],
] as const satisfies readonly (readonly [AccountEventType, string])[];

describe('text fields', () => {
  it.each(TEXT_FIELDS)('%s.%s rejects the NUL character, which jsonb cannot store', (type, field) => {
    expect(issuesFor(type, { [field]: 'before\u0000after' })).toEqual([
      { path: field, message: `${field} must not contain the NUL character (\\u0000)` },
    ]);
  });

  it.each(TEXT_FIELDS)('%s.%s rejects a lone UTF-16 surrogate, which jsonb cannot store either', (type, field) => {
    for (const lone of ['\ud800', 'end\udfff', '\udc00start']) {
      expect(issuesFor(type, { [field]: lone })).toEqual([
        { path: field, message: `${field} must not contain a lone UTF-16 surrogate (\\ud800 to \\udfff without its pair)` },
      ]);
    }
  });

  it.each(TEXT_FIELDS)('%s.%s keeps other control characters and any Unicode', (type, field) => {
    expect(issuesFor(type, { [field]: 'Zoë\tsaid: “ça va” 👍\n' })).toEqual([]);
  });

  it('rejects blank required text but accepts an empty survey comment', () => {
    expect(issuesFor('ContactLogged', { summary: ' \n\t' })).toEqual([
      { path: 'summary', message: 'summary must not be blank' },
    ]);
    expect(issuesFor('SatisfactionRecorded', { comment: '' })).toEqual([]);
  });

  it.each([
    ['AccountOpened', 'name', 200],
    ['ComplaintRaised', 'category', 100],
    ['ContactLogged', 'summary', 10_000],
    ['AccountClosed', 'reason', 2_000],
  ] as const)('%s.%s is limited to %i characters', (type, field, limit) => {
    expect(issuesFor(type, { [field]: 'x'.repeat(limit) })).toEqual([]);
    expect(issuesFor(type, { [field]: 'x'.repeat(limit + 1) })).toEqual([
      { path: field, message: `${field} must be at most ${limit} characters long` },
    ]);
  });
});

describe('ids', () => {
  it.each(['a', 'A-z_09', 'x'.repeat(64), '7f9c2b1e-3d4a-4c5b-9e8f-0a1b2c3d4e5f'])('accepts %p', (value) => {
    expect(issuesFor('InvoicePaid', { invoiceId: value })).toEqual([]);
  });

  it.each(['', 'x'.repeat(65), 'inv:1', 'inv 1', 'inv/1', 'façade', 'inv\u0000'])('rejects %p', (value) => {
    expect(issuesFor('InvoicePaid', { invoiceId: value })).toEqual([
      {
        path: 'invoiceId',
        message: 'invoiceId must be an id of 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"',
      },
    ]);
  });
});

describe('money', () => {
  it('accepts integer minor units up to the largest safe integer', () => {
    expect(issuesFor('InvoiceIssued', { amount: 1 })).toEqual([]);
    expect(issuesFor('InvoiceIssued', { amount: Number.MAX_SAFE_INTEGER })).toEqual([]);
  });

  it.each([
    [19.99, 'amount must be an integer'],
    [Number.MAX_SAFE_INTEGER + 1, 'amount must be at most 9007199254740991'],
    ['1000', 'amount must be a number'],
    [Number.NaN, 'amount must be a number'],
    [Number.POSITIVE_INFINITY, 'amount must be a number'],
    [0, 'amount must be greater than 0'],
  ])('rejects amount %p', (amount, message) => {
    expect(issuesFor('InvoiceIssued', { amount })).toEqual([{ path: 'amount', message }]);
  });

  it('allows a zero annual value (a free contract) but not a negative one', () => {
    expect(issuesFor('RenewalWon', { annualValue: 0 })).toEqual([]);
    expect(issuesFor('RenewalWon', { annualValue: -1 })).toEqual([
      { path: 'annualValue', message: 'annualValue must be at least 0' },
    ]);
  });
});

describe('currency', () => {
  it.each(['EUR', 'USD', 'JPY'])('accepts %p', (currency) => {
    expect(issuesFor('AccountOpened', { currency })).toEqual([]);
  });

  it.each(['eur', 'EURO', 'EU', '€', 'E1R'])('rejects %p', (currency) => {
    expect(issuesFor('AccountOpened', { currency })).toEqual([
      { path: 'currency', message: 'currency must be an ISO 4217 currency code of 3 upper-case letters, e.g. EUR' },
    ]);
  });
});

describe('calendar dates', () => {
  it.each(['2024-02-29', '2025-12-31'])('accepts %p', (dueOn) => {
    expect(issuesFor('InvoiceIssued', { dueOn })).toEqual([]);
  });

  it.each(['2025-02-29', '2025-13-01', '2025-1-5', '2025-01-31T00:00:00Z', '31/01/2025'])('rejects %p', (dueOn) => {
    expect(issuesFor('InvoiceIssued', { dueOn })).toEqual([
      { path: 'dueOn', message: 'dueOn must be a calendar date YYYY-MM-DD, e.g. 2025-01-31' },
    ]);
  });
});

describe('timestamps', () => {
  it.each(['2025-03-02T10:00:00Z', '2025-03-02T10:00:00.123Z'])('accepts %p', (slaDueAt) => {
    expect(issuesFor('ComplaintRaised', { slaDueAt })).toEqual([]);
  });

  it.each(['2025-03-02T10:00:00', '2025-03-02T12:00:00+02:00', '2025-03-02', 'tomorrow'])('rejects %p', (slaDueAt) => {
    expect(issuesFor('ComplaintRaised', { slaDueAt })).toEqual([
      { path: 'slaDueAt', message: 'slaDueAt must be an ISO 8601 UTC timestamp, e.g. 2025-01-31T09:30:00Z' },
    ]);
  });
});
