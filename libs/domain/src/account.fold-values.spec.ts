import type { AccountEvent } from '@ahe/events';
import type { AccountCommand } from './account.commands';
import { decide } from './account.decider';
import {
  accountEntriesOf,
  accountStateOf,
  escalationOf,
  foldedAccountOf,
  foldedAccountOfEntries,
  invoiceOf,
  isComplaintResolved,
  openComplaintListOf,
  openComplaintsOf,
  unpaidInvoicesOf,
} from './account-collections';
import { evolve, evolveFolded, foldEvents, type FoldableEvent } from './account.evolve';
import { initialState, outstandingOf, type AccountState } from './account.state';
import { DomainError } from './domain.errors';

const HOUR_MS = 3_600_000;
const START_MS = Date.parse('2024-01-01T00:00:00.000Z');
const instant = (index: number) => new Date(START_MS + index * HOUR_MS).toISOString();

/** Event `index` of a long account: every collection grows, shrinks and changes in place. */
function eventAt(index: number): FoldableEvent {
  const n = Math.floor(index / 10);
  const event = ((): AccountEvent => {
    switch (index % 10) {
      case 0: return { type: 'InvoiceIssued', data: { invoiceId: `INV-${n}`, amount: 1_000, dueOn: '2030-01-01' } };
      case 1: return { type: 'InvoicePaid', data: { invoiceId: `INV-${n}`, amount: 400 } };
      case 2: return { type: 'ComplaintRaised', data: { complaintId: `C-${n}`, severity: 'low', category: 'x', description: 'x', slaDueAt: instant(index + 48) } };
      case 3: return { type: 'EscalationOpened', data: { escalationId: `E-${n}`, rule: 'band-red', reason: 'x', triggeringEventId: 'x' } };
      case 4: return { type: 'InvoicePaid', data: { invoiceId: `INV-${n}`, amount: 600 } };
      case 5: return { type: 'ComplaintResolved', data: { complaintId: `C-${n - (n % 2)}`, resolution: 'x' } };
      case 6: return { type: 'EscalationAcknowledged', data: { escalationId: `E-${n}` } };
      case 7: return { type: 'AccountManagerAssigned', data: { managerId: `mgr-${n % 3}` } };
      case 8: return { type: 'EscalationResolved', data: { escalationId: `E-${n - 1}`, resolution: 'x' } };
      default: return { type: 'ContactLogged', data: { channel: 'call', direction: 'inbound', summary: 'x' } };
    }
  })();
  return { ...event, occurredAt: instant(index) };
}

const OPENED: FoldableEvent = {
  type: 'AccountOpened',
  data: { name: 'Long', segment: 'smb', managerId: 'mgr-0', currency: 'EUR' },
  occurredAt: instant(0),
};
const eventsBetween = (from: number, to: number) => Array.from({ length: to - from }, (_, offset) => eventAt(from + offset));
const snapshotOf = (state: AccountState): unknown => JSON.parse(JSON.stringify(state));

describe('folding keeps states as values', () => {
  it('leaves a kept state as it was after 1,000 more events are folded, and after a second line grows from it', () => {
    const kept = foldEvents(eventsBetween(1, 2_001), evolve(initialState(), OPENED));
    const before = snapshotOf(kept);
    // Its twin's views are first built after the later folds: no cached view can hide a change.
    const twin = foldEvents(eventsBetween(1, 2_001), evolve(initialState(), OPENED));
    const later = foldEvents(eventsBetween(2_001, 3_001), kept);
    const laterSnapshot = snapshotOf(later);
    expect(kept).toEqual(before);
    // A kept snapshot folded again (an as-of read resumes from it) must touch neither line.
    const branch = foldEvents([eventAt(3_010), eventAt(3_011), eventAt(3_012)], kept);
    foldEvents(eventsBetween(2_001, 2_500), twin);
    expect(kept).toEqual(before);
    expect(snapshotOf(twin)).toEqual(before);
    expect(later).toEqual(laterSnapshot);
    expect(Object.keys(branch.invoices)).toEqual([...Object.keys(kept.invoices), 'INV-301']);
    expect(Object.keys(later.invoices)).toHaveLength(300);
  });

  it('folds as a fold over plain JSON states does, step by step', () => {
    const events = [OPENED, ...eventsBetween(1, 1_500)];
    let folded = initialState();
    let plain = initialState();
    events.forEach((event, index) => {
      folded = evolve(folded, event);
      plain = JSON.parse(JSON.stringify(evolve(plain, event))) as AccountState;
      if (index % 97 === 0 || index === events.length - 1) expect(JSON.stringify(folded)).toBe(JSON.stringify(plain));
    });
    expect(folded.resolvedComplaintIds).toHaveLength(75);
    expect(Object.keys(folded.openComplaints)).toHaveLength(75);
  });

  it('decides on a long-folded state as on its plain JSON copy', () => {
    const folded = foldEvents(eventsBetween(1, 2_000), evolve(initialState(), OPENED));
    const plain = snapshotOf(folded) as AccountState;
    const context = { now: '2025-01-01T00:00:00Z', occurredAt: '2025-01-01T00:00:00Z' };
    const commands: AccountCommand[] = [
      { type: 'RecordPayment', data: { invoiceId: 'INV-3', amount: 1 } },
      { type: 'RecordPayment', data: { invoiceId: 'INV-nope', amount: 1 } },
      { type: 'RecordPayment', data: { invoiceId: 'INV-199', amount: 1 } },
      { type: 'IssueInvoice', data: { invoiceId: 'INV-1', amount: 1, dueOn: '2025-02-01' } },
      { type: 'ResolveComplaint', data: { complaintId: 'C-4', resolution: 'x' } },
      { type: 'ResolveComplaint', data: { complaintId: 'C-nope', resolution: 'x' } },
      { type: 'ResolveComplaint', data: { complaintId: 'C-5', resolution: 'x' } },
      { type: 'RaiseComplaint', data: { complaintId: 'C-7', severity: 'low', category: 'x', description: 'x' } },
      { type: 'AcknowledgeEscalation', data: { escalationId: 'E-3' } },
      { type: 'ResolveEscalation', data: { escalationId: 'E-199', resolution: 'x' } },
      { type: 'OpenEscalation', data: { escalationId: 'E-5', rule: 'band-red', reason: 'x', triggeringEventId: 'x' } },
    ];
    const outcome = (state: AccountState, command: AccountCommand) => {
      try {
        return decide(command, state, context);
      } catch (error) {
        return error instanceof DomainError ? error.code : error;
      }
    };
    const outcomes = commands.map((command) => outcome(folded, command));
    expect(outcomes).toEqual(commands.map((command) => outcome(plain, command)));
    expect(outcomes).toEqual([
      'INVOICE_ALREADY_PAID', 'UNKNOWN_INVOICE', 'INVOICE_ALREADY_PAID', 'INVOICE_ALREADY_EXISTS', 'COMPLAINT_ALREADY_RESOLVED',
      'UNKNOWN_COMPLAINT', [expect.objectContaining({ type: 'ComplaintResolved' })], 'COMPLAINT_ALREADY_EXISTS', 'ESCALATION_ALREADY_RESOLVED', [expect.objectContaining({ type: 'EscalationResolved' })],
      'ESCALATION_ALREADY_EXISTS',
    ]);
  });

  it('reads as a plain state: the same fields in the same order, collections as plain records', () => {
    const folded = foldEvents(eventsBetween(1, 50), evolve(initialState(), OPENED));
    expect(Object.keys(folded)).toEqual(Object.keys(initialState()));
    expect(Object.getPrototypeOf(folded.invoices)).toBe(Object.prototype);
    expect(Array.isArray(folded.resolvedComplaintIds)).toBe(true);
  });

  it('decides on what a spread copy holds, not on the collections of its original', () => {
    const folded = foldEvents(eventsBetween(1, 50), evolve(initialState(), OPENED));
    const payment: AccountCommand = { type: 'RecordPayment', data: { invoiceId: 'INV-4', amount: 1 } };
    const context = { now: '2025-01-01T00:00:00Z', occurredAt: '2025-01-01T00:00:00Z' };
    expect(() => decide(payment, folded, context)).toThrow(expect.objectContaining({ code: 'INVOICE_ALREADY_PAID' }));
    expect(() => decide(payment, { ...folded, invoices: {} }, context)).toThrow(expect.objectContaining({ code: 'UNKNOWN_INVOICE' }));
  });

  it('keeps the unpaid invoices as the invoices filtered, in their order, folded or plain, an id issued again included', () => {
    const reissued: FoldableEvent = { type: 'InvoiceIssued', data: { invoiceId: 'INV-2', amount: 50, dueOn: '2030-01-01' }, occurredAt: instant(900) };
    const events = [OPENED, ...eventsBetween(1, 600), reissued, ...eventsBetween(600, 640)];
    let folded = initialState();
    events.forEach((event, index) => {
      folded = evolve(folded, event);
      if (index % 7 !== 0 && index !== 601) return;
      const expected = Object.entries(folded.invoices).filter(([, invoice]) => outstandingOf(invoice) > 0);
      expect(unpaidInvoicesOf(folded)).toEqual(expected);
      expect(unpaidInvoicesOf(snapshotOf(folded) as AccountState)).toEqual(expected);
    });
    expect(unpaidInvoicesOf(folded).map(([invoiceId]) => invoiceId)).toContain('INV-2');
  });

  it('comes back from its entry lists as the same account, JSON round trip included, ids named like Object.prototype members too', () => {
    const odd = ['__proto__', 'constructor', 'toString', '7', '10', 'hasOwnProperty'];
    const oddEvents: FoldableEvent[] = odd.flatMap((id, index): FoldableEvent[] => [
      { type: 'InvoiceIssued', data: { invoiceId: id, amount: 100 + index, dueOn: '2030-01-01' }, occurredAt: instant(2_000 + index) },
      { type: 'ComplaintRaised', data: { complaintId: id, severity: 'high', category: 'x', description: 'x', slaDueAt: instant(2_100) }, occurredAt: instant(2_000 + index) },
      { type: 'EscalationOpened', data: { escalationId: id, rule: 'band-red', reason: 'x', triggeringEventId: 'x' }, occurredAt: instant(2_000 + index) },
    ]);
    const reissued: FoldableEvent = { type: 'InvoiceIssued', data: { invoiceId: 'INV-2', amount: 50, dueOn: '2030-01-01' }, occurredAt: instant(900) };
    const folded = [OPENED, ...eventsBetween(1, 300), reissued, ...oddEvents].reduce(evolveFolded, foldedAccountOf(initialState()));
    const plain = JSON.parse(JSON.stringify(accountStateOf(folded))) as AccountState;
    const sorted = <T extends readonly [string, unknown]>(entries: readonly T[]) => [...entries].sort(([a], [b]) => (a < b ? -1 : 1));

    // A folded account's lists keep the fold's order; a record puts numeric-looking ids first, as JSON always did.
    expect(accountEntriesOf(folded).invoices.map(([id]) => id).slice(-odd.length)).toEqual(odd);
    for (const state of [folded, plain]) {
      const entries = accountEntriesOf(state);
      expect(sorted(entries.invoices)).toEqual(sorted(Object.entries(plain.invoices)));
      const back = foldedAccountOfEntries(JSON.parse(JSON.stringify(entries)));
      expect(JSON.stringify(accountStateOf(back))).toBe(JSON.stringify(plain));
      expect(sorted(unpaidInvoicesOf(back))).toEqual(sorted(unpaidInvoicesOf(folded)));
      expect(openComplaintsOf(back)).toEqual(openComplaintsOf(folded));
      for (const id of [...odd, 'INV-2', 'INV-29', 'C-4', 'C-5', 'E-9', 'valueOf']) {
        expect(invoiceOf(back, id)).toEqual(invoiceOf(folded, id));
        expect(escalationOf(back, id)).toEqual(escalationOf(folded, id));
        expect(isComplaintResolved(back, id)).toBe(isComplaintResolved(folded, id));
      }
      expect(invoiceOf(back, '__proto__')).toEqual({ amount: 100, paid: 0, dueOn: '2030-01-01', issuedAt: instant(2_000) });
      expect(invoiceOf(back, 'valueOf')).toBeUndefined();
    }
  });

  it('folds through evolveFolded to the state evolve gives, with the same lookups on the way', () => {
    const events = [OPENED, ...eventsBetween(1, 400)];
    let state = initialState();
    let account = foldedAccountOf(initialState());
    for (const event of events) {
      state = evolve(state, event);
      account = evolveFolded(account, event);
      expect(openComplaintsOf(account)).toEqual(state.openComplaints);
      expect(unpaidInvoicesOf(account)).toEqual(unpaidInvoicesOf(state));
      expect(openComplaintListOf(account)).toEqual(Object.values(state.openComplaints));
      expect(openComplaintListOf(state)).toEqual(Object.values(state.openComplaints));
    }
    expect(JSON.stringify(accountStateOf(account))).toBe(JSON.stringify(state));
    expect(Object.keys(account)).toEqual(Object.keys(initialState()).filter((key) => !['openComplaints', 'resolvedComplaintIds', 'invoices', 'escalations'].includes(key)));
  });
});
