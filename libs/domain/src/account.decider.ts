import { assertNever, defaultSlaDueAt, ID_PATTERN, SEVERITIES, type AccountEvent, type Contract, type Severity } from '@ahe/events';
import { admit } from './account.admission';
import type { AccountCommand, AccountCommandOf, CommandContext } from './account.commands';
import type { AccountState } from './account.state';
import { assertValidContext } from './command-context.policy';
import { InvalidCommandError } from './domain.errors';
import { noContractToRenew } from './renewal.policy';

/** Not yet validated: `admit` checks the payload against its schema and types it. */
interface EventDraft {
  readonly type: AccountEvent['type'];
  readonly data: unknown;
}

/** The events a command records, or the DomainError it breaks. */
export function decide(command: AccountCommand, state: AccountState, context: CommandContext): AccountEvent[] {
  assertValidContext(context);
  return [admit(state, draftOf(command, state, context), context)];
}

// Payloads are spread rather than picked, so a stray field is refused by the strict schema
// instead of being dropped without a word.
function draftOf(command: AccountCommand, state: AccountState, context: CommandContext): EventDraft {
  switch (command.type) {
    case 'OpenAccount': {
      const { accountId, ...data } = command.data;
      assertAccountId(accountId);
      return { type: 'AccountOpened', data };
    }
    case 'AssignManager': {
      const previous = state.managerId === null ? {} : { previousManagerId: state.managerId };
      return { type: 'AccountManagerAssigned', data: { ...command.data, ...previous } };
    }
    case 'LogContact':
      return { type: 'ContactLogged', data: { ...command.data } };
    case 'RaiseComplaint': {
      const { slaDueAt, ...data } = command.data;
      return {
        type: 'ComplaintRaised',
        data: { ...data, slaDueAt: slaDueAt ?? defaultSla(data.severity, context.occurredAt) },
      };
    }
    case 'ResolveComplaint':
      return { type: 'ComplaintResolved', data: { ...command.data } };
    case 'RecordSurvey':
      return { type: 'SatisfactionRecorded', data: { ...command.data } };
    case 'IssueInvoice':
      return { type: 'InvoiceIssued', data: { ...command.data } };
    case 'RecordPayment':
      return { type: 'InvoicePaid', data: { ...command.data } };
    case 'RecordRenewal':
      return renewalDraft(command.data, state.contract);
    case 'WinExpansion':
      return { type: 'ExpansionWon', data: { ...command.data } };
    case 'CloseAccount':
      return { type: 'AccountClosed', data: { ...command.data } };
    case 'OpenEscalation':
      return { type: 'EscalationOpened', data: { ...command.data } };
    case 'AcknowledgeEscalation':
      return { type: 'EscalationAcknowledged', data: { ...command.data } };
    case 'ResolveEscalation':
      return { type: 'EscalationResolved', data: { ...command.data } };
    default:
      return assertNever(command);
  }
}

/** What a lost renewal records when the caller gives no reason. */
export const RENEWAL_LOST_REASON_NOT_GIVEN = 'No reason given';

/** The same day a year later; 29 February becomes 28 February. */
function aYearAfter(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const lastOfMonth = new Date(Date.UTC(year + 1, month, 0)).getUTCDate();
  return `${String(year + 1).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(date, lastOfMonth)).padStart(2, '0')}`;
}

// A renewal's fields are optional (API.md): a won one renews the contract for a year at its
// value, a lost one may not say why. Without a contract there is nothing to default from, and
// admission refuses the renewal anyway (NO_CONTRACT).
function renewalDraft(renewal: AccountCommandOf<'RecordRenewal'>['data'], contract: Contract | null): EventDraft {
  const { outcome, ...data } = renewal as { readonly outcome: unknown } & Record<string, unknown>;
  if (outcome === 'won') {
    // With nothing to renew, the defaults have nothing to come from: NO_CONTRACT, as admission says.
    const defaults = contract === null ? {} : { endsOn: aYearAfter(contract.endsOn), annualValue: contract.annualValue };
    if (contract === null && (data.endsOn === undefined || data.annualValue === undefined)) throw noContractToRenew();
    return { type: 'RenewalWon', data: { ...defaults, ...definedOnly(data) } };
  }
  if (outcome === 'lost') return { type: 'RenewalLost', data: { reason: RENEWAL_LOST_REASON_NOT_GIVEN, ...definedOnly(data) } };
  throw new InvalidCommandError(
    outcome === undefined ? 'outcome is required' : 'outcome must be one of "won", "lost"',
    { field: 'outcome' },
  );
}

const definedOnly = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));

// accountId names the stream rather than travelling in the payload, so no schema checks it.
function assertAccountId(accountId: unknown): void {
  if (typeof accountId !== 'string' || !ID_PATTERN.test(accountId)) {
    throw new InvalidCommandError(
      'accountId must be an id of 1 to 64 characters from A-Z, a-z, 0-9, "_" and "-"',
      { field: 'accountId' },
    );
  }
}

// An unknown severity gets no default: the schema then reports the severity itself.
function defaultSla(severity: Severity, occurredAt: string): string | undefined {
  return SEVERITIES.includes(severity) ? defaultSlaDueAt(severity, occurredAt) : undefined;
}
