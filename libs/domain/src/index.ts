/**
 * The account decider: pure functions from commands and folded events to new events, and the
 * rules they enforce. Imports nothing but `@ahe/events`, zod and Node built-ins.
 */
export type { AccountCommand, AccountCommandOf, AccountCommandType, CommandContext } from './account.commands';
export {
  initialState,
  outstandingOf,
  type AccountState,
  type EscalationState,
  type EscalationStatus,
  type InvoiceState,
  type OpenComplaint,
  type RenewalStatus,
} from './account.state';
export {
  accountStateOf,
  accountEntriesOf,
  escalationOf,
  foldedAccountOf,
  foldedAccountOfEntries,
  invoiceOf,
  isComplaintResolved,
  openComplaintListOf,
  openComplaintOf,
  openComplaintsOf,
  unpaidInvoicesOf,
  type AccountEntries,
  type AnyAccountState,
  type FoldedAccount,
  type UnpaidInvoices,
} from './account-collections';
export { evolve, evolveFolded, foldEvents, type FoldableEvent } from './account.evolve';
export { decide } from './account.decider';
export { admitEvent, admitParsedEvent } from './account.admission';
export { utcTimestampOf } from './command-context.policy';
export { accountIdOfStream, accountStreamId } from './account.stream';
export {
  AccountAlreadyExistsError,
  AccountClosedError,
  AccountNotFoundError,
  DomainError,
  INVALID_COMMAND_CODES,
  InvalidCommandError,
  RULE_VIOLATION_CODES,
  RuleViolationError,
  type InvalidCommandCode,
  type RuleViolationCode,
} from './domain.errors';
export { deterministicUuid } from './deterministic-id';
