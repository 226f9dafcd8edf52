import type { Contract, EscalationRule, Severity } from '@ahe/events';

/**
 * What the decider needs to know about one account, folded from its stream. It holds no
 * revision or position, so the same events give the same state in any store. Reads as plain
 * JSON: the audit API serves it as the account's state as of an instant. A folded state keeps
 * its collections in persistent maps behind these fields (account-collections.ts): reading a
 * collection field builds a plain record once per change, so a path that needs one entry on
 * every event or command uses the lookups (invoiceOf, openComplaintOf, ...) instead.
 */
export interface AccountState {
  /** An AccountOpened has been folded. */
  readonly exists: boolean;
  /** An AccountClosed has been folded: the account is read-only. */
  readonly closed: boolean;
  /** `occurredAt` of AccountOpened; nothing on the account may happen before it. */
  readonly openedAt: string | null;
  /** `occurredAt` of AccountClosed. */
  readonly closedAt: string | null;
  readonly name: string | null;
  readonly segment: string | null;
  /** The account manager who owns the account now. */
  readonly managerId: string | null;
  /** ISO 4217 currency of every amount on the account. */
  readonly currency: string | null;
  /** The current contract, its end date and value moved on by each RenewalWon; null if billed without one. */
  readonly contract: Contract | null;
  /** Outcome of the latest renewal decision on the contract. */
  readonly renewalStatus: RenewalStatus;
  /** Complaints raised and not yet resolved, by complaintId. */
  readonly openComplaints: Readonly<Record<string, OpenComplaint>>;
  /** Complaints resolved, in the order they were resolved. */
  readonly resolvedComplaintIds: readonly string[];
  /** Every invoice issued, by invoiceId. */
  readonly invoices: Readonly<Record<string, InvoiceState>>;
  /** Every escalation opened, by escalationId. */
  readonly escalations: Readonly<Record<string, EscalationState>>;
}

/** `undecided` until the first renewal decision; a lost renewal may still be won back. */
export type RenewalStatus = 'undecided' | 'won' | 'lost';

export interface OpenComplaint {
  readonly severity: Severity;
  readonly slaDueAt: string;
  readonly raisedAt: string;
}

export interface InvoiceState {
  /** Invoiced amount, minor units. */
  readonly amount: number;
  /** Sum of the payments so far, minor units. */
  readonly paid: number;
  readonly dueOn: string;
  readonly issuedAt: string;
}

export type EscalationStatus = 'open' | 'acknowledged' | 'resolved';

export interface EscalationState {
  readonly status: EscalationStatus;
  readonly rule: EscalationRule;
  readonly openedAt: string;
}

export function initialState(): AccountState {
  return {
    exists: false,
    closed: false,
    openedAt: null,
    closedAt: null,
    name: null,
    segment: null,
    managerId: null,
    currency: null,
    contract: null,
    renewalStatus: 'undecided',
    openComplaints: {},
    resolvedComplaintIds: [],
    invoices: {},
    escalations: {},
  };
}

// Ids are user input: "constructor" or "__proto__" must not find Object.prototype's members.
export function entryOf<Value>(record: Readonly<Record<string, Value>>, key: string): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** What is still to be paid on an invoice, minor units. */
export const outstandingOf = (invoice: InvoiceState): number => Math.max(invoice.amount - invoice.paid, 0);
