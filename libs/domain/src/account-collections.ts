import { entryOf, outstandingOf, type AccountState, type EscalationState, type InvoiceState, type OpenComplaint } from './account.state';
import { PersistentEntries } from './persistent-entries';

/** The state's collections as persistent maps: folding an event into one costs O(1), not a copy. */
export interface AccountCollections {
  readonly openComplaints: PersistentEntries<OpenComplaint>;
  /** Keys in the order resolved; the value means nothing. */
  readonly resolvedComplaints: PersistentEntries<true>;
  readonly invoices: PersistentEntries<InvoiceState>;
  /**
   * The invoices with something outstanding, in the order of `invoices`: scoring walks them
   * after every event. An array copied on change, as it stays small (paid in full, one leaves).
   */
  readonly unpaidInvoices: UnpaidInvoices;
  readonly escalations: PersistentEntries<EscalationState>;
}

type CollectionName = 'openComplaints' | 'resolvedComplaintIds' | 'invoices' | 'escalations';
export type AccountScalars = Omit<AccountState, CollectionName>;

export type UnpaidInvoices = ReadonlyArray<readonly [invoiceId: string, invoice: InvoiceState]>;

const COLLECTIONS: unique symbol = Symbol('accountCollections');
const FOLDED: unique symbol = Symbol('foldedAccount');

/**
 * The account between two events of a fold: the scalar fields of AccountState and the
 * collections, with no record views. A plain literal, so a fold that reads every state (a
 * read model scoring after each event) builds one for a few dozen nanoseconds, where an
 * AccountState view with its getters costs microseconds. `accountStateOf` gives the view.
 */
export type FoldedAccount = AccountScalars & { readonly [COLLECTIONS]: AccountCollections };

type ViewOfFolded = AccountState & { readonly [FOLDED]: FoldedAccount };

/** Either shape a fold hands out; the lookups below answer for both, and for plain states. */
export type AnyAccountState = AccountState | FoldedAccount;

function heldCollections(state: AnyAccountState): AccountCollections | undefined {
  return (state as Partial<FoldedAccount>)[COLLECTIONS] ?? (state as Partial<ViewOfFolded>)[FOLDED]?.[COLLECTIONS];
}

export function foldedAccount(scalars: AccountScalars, collections: AccountCollections): FoldedAccount {
  // Spelled out, not spread: a spread copies the symbol too, and costs ten times the literal.
  const { exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, renewalStatus } = scalars;
  return { exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, renewalStatus, [COLLECTIONS]: collections };
}

/** O(1) for a state a fold produced; a plain state (parsed JSON, a spread copy) is converted, O(size). */
export function foldedAccountOf(state: AnyAccountState): FoldedAccount {
  if (Object.hasOwn(state, COLLECTIONS)) return state as FoldedAccount;
  return (state as Partial<ViewOfFolded>)[FOLDED] ?? foldedAccount(state, collectionsOf(state as AccountState));
}

/** The state's collections; a plain state is converted, O(size). */
export function collectionsOf(state: AnyAccountState): AccountCollections {
  const held = heldCollections(state);
  if (held !== undefined) return held;
  const plain = state as AccountState;
  return {
    openComplaints: PersistentEntries.ofRecord(plain.openComplaints),
    resolvedComplaints: PersistentEntries.of(plain.resolvedComplaintIds.map((id) => [id, true] as const)),
    invoices: PersistentEntries.ofRecord(plain.invoices),
    unpaidInvoices: unpaidEntries(Object.entries(plain.invoices)),
    escalations: PersistentEntries.ofRecord(plain.escalations),
  };
}

/**
 * The state's collections as lists of entries, in the order the records read: how
 * account_health stores them. As JSON an entry list names no id as a key, so parsing it makes
 * no hidden class per id (a record keyed by ids does: docs/benchmarks-journal.md, "Why a request makes
 * hidden classes").
 */
export interface AccountCollectionEntries {
  readonly openComplaints: readonly (readonly [complaintId: string, complaint: OpenComplaint])[];
  readonly resolvedComplaintIds: readonly string[];
  readonly invoices: readonly (readonly [invoiceId: string, invoice: InvoiceState])[];
  readonly escalations: readonly (readonly [escalationId: string, escalation: EscalationState])[];
}

/** The account as plain JSON with its collections as entry lists. */
export type AccountEntries = AccountScalars & AccountCollectionEntries;

/** O(size); for a folded state, without building a record. */
export function accountEntriesOf(state: AnyAccountState): AccountEntries {
  const held = heldCollections(state);
  if (held !== undefined) {
    return {
      ...scalarsOf(state),
      openComplaints: [...held.openComplaints.entries()],
      resolvedComplaintIds: held.resolvedComplaints.toKeys(),
      invoices: [...held.invoices.entries()],
      escalations: [...held.escalations.entries()],
    };
  }
  const plain = state as AccountState;
  return {
    ...scalarsOf(plain),
    openComplaints: Object.entries(plain.openComplaints),
    resolvedComplaintIds: plain.resolvedComplaintIds,
    invoices: Object.entries(plain.invoices),
    escalations: Object.entries(plain.escalations),
  };
}

/** The folded account of accountEntriesOf's shape, O(size), with no record built. */
export function foldedAccountOfEntries(account: AccountEntries): FoldedAccount {
  return foldedAccount(account, {
    openComplaints: PersistentEntries.of(account.openComplaints),
    resolvedComplaints: PersistentEntries.of(account.resolvedComplaintIds.map((id) => [id, true] as const)),
    invoices: PersistentEntries.of(account.invoices),
    unpaidInvoices: unpaidEntries(account.invoices),
    escalations: PersistentEntries.of(account.escalations),
  });
}

export const unpaidEntries = (invoices: Iterable<readonly [string, InvoiceState]>): UnpaidInvoices =>
  [...invoices].filter(([, invoice]) => outstandingOf(invoice) > 0);

/**
 * The AccountState of a folded account: it reads as plain JSON of the AccountState shape, own
 * enumerable getters, so JSON, spreads, Object.keys and equality see plain records; each
 * view is built once per collection version, when first read. The folded account rides along
 * unenumerated, so a spread copy (with a collection replaced, say) is a plain state and never
 * uses stale collections.
 */
export function accountStateOf(folded: FoldedAccount): AccountState {
  const collections = folded[COLLECTIONS];
  // Spelled out, not spread: V8 builds a literal far faster than defineProperties.
  const { exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, renewalStatus } = folded;
  const state = {
    exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, renewalStatus,
    get openComplaints() { return collections.openComplaints.toRecord(); },
    get resolvedComplaintIds() { return collections.resolvedComplaints.toKeys(); },
    get invoices() { return collections.invoices.toRecord(); },
    get escalations() { return collections.escalations.toRecord(); },
  };
  return Object.defineProperty(state, FOLDED, { value: folded });
}

export function withScalars(account: FoldedAccount, changes: Partial<AccountScalars>): FoldedAccount {
  return foldedAccount({ ...scalarsOf(account), ...changes }, account[COLLECTIONS]);
}

export function withCollections(account: FoldedAccount, changes: Partial<AccountCollections>): FoldedAccount {
  // foldedAccount reads only the scalar fields of what it is given.
  return foldedAccount(account, { ...account[COLLECTIONS], ...changes });
}

function scalarsOf(account: AccountScalars): AccountScalars {
  const { exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, renewalStatus } = account;
  return { exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, renewalStatus };
}

// Lookups the decider makes on every command, and scoring after every event: answered from the
// persistent maps, so that no record view is built on a long-lived account.

export function invoiceOf(state: AnyAccountState, invoiceId: string): InvoiceState | undefined {
  const held = heldCollections(state);
  return held ? held.invoices.get(invoiceId) : entryOf((state as AccountState).invoices, invoiceId);
}

/** The invoices with something outstanding, as [invoiceId, invoice], in the order of `state.invoices`. */
export function unpaidInvoicesOf(state: AnyAccountState): UnpaidInvoices {
  const held = heldCollections(state);
  return held ? held.unpaidInvoices : unpaidEntries(Object.entries((state as AccountState).invoices));
}

/** The open complaints by complaintId, as `state.openComplaints` reads (built once per change). */
export function openComplaintsOf(state: AnyAccountState): Readonly<Record<string, OpenComplaint>> {
  const held = heldCollections(state);
  return held ? held.openComplaints.toRecord() : (state as AccountState).openComplaints;
}

/**
 * The open complaints, with no record built for a folded state (openComplaintsOf builds one: a
 * hidden class per complaint id): what scoring walks on every read and after every event.
 * Folded, in the order raised; plain, in the record's order.
 */
export function openComplaintListOf(state: AnyAccountState): readonly OpenComplaint[] {
  const held = heldCollections(state);
  return held ? held.openComplaints.toValues() : Object.values((state as AccountState).openComplaints);
}

export function openComplaintOf(state: AnyAccountState, complaintId: string): OpenComplaint | undefined {
  const held = heldCollections(state);
  return held ? held.openComplaints.get(complaintId) : entryOf((state as AccountState).openComplaints, complaintId);
}

export function isComplaintResolved(state: AnyAccountState, complaintId: string): boolean {
  const held = heldCollections(state);
  return held ? held.resolvedComplaints.has(complaintId) : (state as AccountState).resolvedComplaintIds.includes(complaintId);
}

export function escalationOf(state: AnyAccountState, escalationId: string): EscalationState | undefined {
  const held = heldCollections(state);
  return held ? held.escalations.get(escalationId) : entryOf((state as AccountState).escalations, escalationId);
}
