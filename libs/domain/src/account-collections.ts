import { entryOf, type AccountState, type EscalationState, type InvoiceState, type OpenComplaint } from './account.state';
import { PersistentEntries } from './persistent-entries';

/** The state's collections as persistent maps: folding an event into one costs O(1), not a copy. */
export interface AccountCollections {
  readonly openComplaints: PersistentEntries<OpenComplaint>;
  /** Keys in the order resolved; the value means nothing. */
  readonly resolvedComplaints: PersistentEntries<true>;
  readonly invoices: PersistentEntries<InvoiceState>;
  readonly escalations: PersistentEntries<EscalationState>;
}

type CollectionName = 'openComplaints' | 'resolvedComplaintIds' | 'invoices' | 'escalations';
export type AccountScalars = Omit<AccountState, CollectionName>;

const COLLECTIONS = Symbol('accountCollections');
type FoldedState = AccountState & { readonly [COLLECTIONS]: AccountCollections };

const heldCollections = (state: AccountState): AccountCollections | undefined =>
  (state as Partial<FoldedState>)[COLLECTIONS];

/** The state's collections; a plain state (parsed JSON, a spread copy) is converted, O(size). */
export function collectionsOf(state: AccountState): AccountCollections {
  return heldCollections(state) ?? {
    openComplaints: PersistentEntries.ofRecord(state.openComplaints),
    resolvedComplaints: PersistentEntries.of(state.resolvedComplaintIds.map((id) => [id, true] as const)),
    invoices: PersistentEntries.ofRecord(state.invoices),
    escalations: PersistentEntries.ofRecord(state.escalations),
  };
}

/** Reads scalar fields only, so no collection view is built. */
export function scalarsOf(state: AccountState): AccountScalars {
  const { exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, renewalStatus } = state;
  return { exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, renewalStatus };
}

/**
 * A state that reads as plain JSON of the AccountState shape: own enumerable getters, so
 * JSON, spreads, Object.keys and equality see plain records; each view is built once per
 * collection version, when first read. The persistent maps ride along unenumerated, so a
 * spread copy (with a collection replaced, say) is a plain state and never uses stale ones.
 */
export function accountStateOf(scalars: AccountScalars, collections: AccountCollections): AccountState {
  // Spelled out, not spread: V8 builds a literal far faster than defineProperties.
  const { exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, renewalStatus } = scalars;
  const state = {
    exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, renewalStatus,
    get openComplaints() { return collections.openComplaints.toRecord(); },
    get resolvedComplaintIds() { return collections.resolvedComplaints.toKeys(); },
    get invoices() { return collections.invoices.toRecord(); },
    get escalations() { return collections.escalations.toRecord(); },
  };
  return Object.defineProperty(state, COLLECTIONS, { value: collections });
}

export function withScalars(state: AccountState, changes: Partial<AccountScalars>): AccountState {
  return accountStateOf({ ...scalarsOf(state), ...changes }, collectionsOf(state));
}

export function withCollections(state: AccountState, changes: Partial<AccountCollections>): AccountState {
  // accountStateOf reads only the scalar fields of what it is given.
  return accountStateOf(state, { ...collectionsOf(state), ...changes });
}

// Lookups the decider makes on every command: answered from the persistent maps, so that
// deciding on a long-lived account builds no record view.

export function invoiceOf(state: AccountState, invoiceId: string): InvoiceState | undefined {
  const held = heldCollections(state);
  return held ? held.invoices.get(invoiceId) : entryOf(state.invoices, invoiceId);
}

export function openComplaintOf(state: AccountState, complaintId: string): OpenComplaint | undefined {
  const held = heldCollections(state);
  return held ? held.openComplaints.get(complaintId) : entryOf(state.openComplaints, complaintId);
}

export function isComplaintResolved(state: AccountState, complaintId: string): boolean {
  const held = heldCollections(state);
  return held ? held.resolvedComplaints.has(complaintId) : state.resolvedComplaintIds.includes(complaintId);
}

export function escalationOf(state: AccountState, escalationId: string): EscalationState | undefined {
  const held = heldCollections(state);
  return held ? held.escalations.get(escalationId) : entryOf(state.escalations, escalationId);
}
