import { parseEventData, type AccountEvent } from '@ahe/events';
import { foldedAccountOf } from './account-collections';
import { admitEvent, admitParsedEvent } from './account.admission';
import type { AccountCommand, CommandContext } from './account.commands';
import { decide } from './account.decider';
import { evolve, evolveFolded } from './account.evolve';
import { initialState } from './account.state';
import { DomainError, InvalidCommandError } from './domain.errors';
import { A_BUSY_ACCOUNT, accountClosed, invoicePaid } from './testing/account-fixtures';
import { REALISTIC_HISTORY } from './testing/account-history';
import { foldGiven, given, type GivenEvent } from './testing/decider-specification';

const NOW = '2026-06-01T00:00:00Z';

describe('admitEvent', () => {
  it('admits every event of a realistic history on the state folded before it, as the importer does', () => {
    let state = initialState();
    for (const event of REALISTIC_HISTORY) {
      const { occurredAt, ...plain } = event;
      expect(() => admitEvent(state, plain as AccountEvent, { now: NOW, occurredAt })).not.toThrow();
      state = evolve(state, event);
    }
  });

  it('refuses a line of an import that would break a rule, like the command would', () => {
    given([...A_BUSY_ACCOUNT, invoicePaid('INV-1', 1_000_000)])
      .whenImported({ type: 'InvoicePaid', data: { invoiceId: 'INV-1', amount: 1 } })
      .thenThrows(DomainError, { code: 'INVOICE_ALREADY_PAID', status: 409 });
  });

  it('validates the payload against the schema of its type, naming the field', () => {
    given(A_BUSY_ACCOUNT)
      .whenImported({ type: 'InvoicePaid', data: { invoiceId: 'INV-1', amount: 0 } })
      .thenThrows(InvalidCommandError, { field: 'amount' });
  });

  it('refuses a type the contract does not know (400, field type)', () => {
    given(A_BUSY_ACCOUNT)
      .whenImported({ type: 'AccountMerged', data: {} } as unknown as AccountEvent)
      .thenThrows(InvalidCommandError, { field: 'type' });
  });
});

type Case = readonly [
  name: string,
  history: readonly GivenEvent[],
  command: AccountCommand,
  event: AccountEvent,
  context: Partial<CommandContext>,
];

const contact = { channel: 'call', direction: 'inbound', summary: 'x' } as const;
const opened = { name: 'Acme', segment: 'smb', managerId: 'mgr-ada', currency: 'EUR' } as const;

const CASES: readonly Case[] = [
  ['no account', [], { type: 'LogContact', data: contact }, { type: 'ContactLogged', data: contact }, {}],
  [
    'closed account',
    [...A_BUSY_ACCOUNT, accountClosed()],
    { type: 'CloseAccount', data: { reason: 'again' } },
    { type: 'AccountClosed', data: { reason: 'again' } },
    {},
  ],
  ['account exists', A_BUSY_ACCOUNT, { type: 'OpenAccount', data: { accountId: 'a', ...opened } }, { type: 'AccountOpened', data: opened }, {}],
  [
    'occurredAt in the future',
    A_BUSY_ACCOUNT,
    { type: 'LogContact', data: contact },
    { type: 'ContactLogged', data: contact },
    { occurredAt: '2031-01-01T00:00:00Z' },
  ],
  [
    'occurredAt before opening',
    A_BUSY_ACCOUNT,
    { type: 'LogContact', data: contact },
    { type: 'ContactLogged', data: contact },
    { occurredAt: '2020-01-01T00:00:00Z' },
  ],
  [
    'complaint id twice',
    A_BUSY_ACCOUNT,
    { type: 'RaiseComplaint', data: { complaintId: 'cmp-1', severity: 'low', category: 'c', description: 'd' } },
    { type: 'ComplaintRaised', data: { complaintId: 'cmp-1', severity: 'low', category: 'c', description: 'd', slaDueAt: '2025-06-08T12:00:00.000Z' } },
    {},
  ],
  [
    'unknown complaint',
    A_BUSY_ACCOUNT,
    { type: 'ResolveComplaint', data: { complaintId: 'cmp-x', resolution: 'r' } },
    { type: 'ComplaintResolved', data: { complaintId: 'cmp-x', resolution: 'r' } },
    {},
  ],
  [
    'invoice id twice',
    A_BUSY_ACCOUNT,
    { type: 'IssueInvoice', data: { invoiceId: 'INV-1', amount: 1, dueOn: '2026-01-01' } },
    { type: 'InvoiceIssued', data: { invoiceId: 'INV-1', amount: 1, dueOn: '2026-01-01' } },
    {},
  ],
  [
    'overpayment',
    A_BUSY_ACCOUNT,
    { type: 'RecordPayment', data: { invoiceId: 'INV-1', amount: 1_000_001 } },
    { type: 'InvoicePaid', data: { invoiceId: 'INV-1', amount: 1_000_001 } },
    {},
  ],
  [
    'renewal not extending the contract',
    A_BUSY_ACCOUNT,
    { type: 'RecordRenewal', data: { outcome: 'won', endsOn: '2025-01-01', annualValue: 1 } },
    { type: 'RenewalWon', data: { endsOn: '2025-01-01', annualValue: 1 } },
    {},
  ],
  [
    'escalation id twice',
    A_BUSY_ACCOUNT,
    { type: 'OpenEscalation', data: { escalationId: 'esc-1', rule: 'band-red', reason: 'r', triggeringEventId: 'e' } },
    { type: 'EscalationOpened', data: { escalationId: 'esc-1', rule: 'band-red', reason: 'r', triggeringEventId: 'e' } },
    {},
  ],
  [
    'score off its scale',
    A_BUSY_ACCOUNT,
    { type: 'RecordSurvey', data: { kind: 'csat', score: 9 } },
    { type: 'SatisfactionRecorded', data: { kind: 'csat', score: 9 } },
    {},
  ],
];

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const summaryOf = (error: DomainError) => ({
  class: error.constructor.name,
  code: error.code,
  status: error.status,
  field: error.field,
});

describe('decide and admitEvent agree', () => {
  it.each(CASES)('%s: the command and the event it records are refused alike', (_name, history, command, event, context) => {
    const state = foldGiven(history);
    const resolved: CommandContext = { now: '2025-06-01T12:00:00Z', occurredAt: '2025-06-01T12:00:00Z', ...context };
    const fromCommand = errorOf(() => decide(command, state, resolved));
    const fromImport = errorOf(() => admitEvent(state, event, resolved));
    expect(summaryOf(fromImport)).toEqual(summaryOf(fromCommand));
  });
});

describe('admitParsedEvent: the import\'s admission of data parseEventData accepted', () => {
  it('admits every event of a realistic history on the folded account, as admitEvent does on the state', () => {
    let folded = foldedAccountOf(initialState());
    for (const event of REALISTIC_HISTORY) {
      const { occurredAt, ...plain } = event;
      expect(() => admitParsedEvent(folded, plain as AccountEvent, { now: NOW, occurredAt })).not.toThrow();
      folded = evolveFolded(folded, event);
    }
  });

  const wellFormed = CASES.filter(([, , , event]) => parseEventData(event.type, event.data).ok);
  it.each(wellFormed)('%s: refused as admitEvent refuses it', (_name, history, _command, event, context) => {
    const state = foldGiven(history);
    const resolved: CommandContext = { now: '2025-06-01T12:00:00Z', occurredAt: '2025-06-01T12:00:00Z', ...context };
    const onFolded = errorOf(() => admitParsedEvent(foldedAccountOf(state), event, resolved));
    expect(summaryOf(onFolded)).toEqual(summaryOf(errorOf(() => admitEvent(state, event, resolved))));
  });
});
