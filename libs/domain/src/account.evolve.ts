import { assertNever, type AccountEvent } from '@ahe/events';
import {
  accountStateOf,
  collectionsOf,
  foldedAccountOf,
  unpaidEntries,
  withCollections,
  withScalars,
  type FoldedAccount,
  type UnpaidInvoices,
} from './account-collections';
import { initialState, outstandingOf, type AccountState, type InvoiceState } from './account.state';

export type FoldableEvent = AccountEvent & { readonly occurredAt: string };

/** Event types the decider's state does not keep (evolveFolded returns the state as it is). */
const LEAVES_STATE_ALONE: ReadonlySet<AccountEvent['type']> = new Set(['ContactLogged', 'SatisfactionRecorded', 'ExpansionWon']);

/**
 * Folds one event into the state. Total: any event the store holds folds without throwing,
 * even one the rules of today would refuse (history written before a rule existed), so an
 * account can always be read and replayed.
 */
export function evolve(state: AccountState, event: FoldableEvent): AccountState {
  // Before converting: a plain state (parsed JSON) would be converted for nothing.
  if (LEAVES_STATE_ALONE.has(event.type)) return state;
  const folded = foldedAccountOf(state);
  const next = evolveFolded(folded, event);
  return next === folded ? state : accountStateOf(next);
}

/**
 * `evolve` for a fold that reads the account between events through the lookups
 * (`unpaidInvoicesOf`, `openComplaintsOf`, ...) and wants an AccountState only at the end:
 * each step then costs a plain literal, not a view with getters.
 */
export function evolveFolded(state: FoldedAccount, event: FoldableEvent): FoldedAccount {
  const at = event.occurredAt;
  switch (event.type) {
    case 'AccountOpened': {
      const { name, segment, managerId, currency, contract } = event.data;
      return withScalars(state, {
        exists: true,
        closed: false,
        openedAt: at,
        closedAt: null,
        name,
        segment,
        managerId,
        currency,
        contract: contract === undefined ? null : { ...contract },
      });
    }
    case 'AccountManagerAssigned':
      return withScalars(state, { managerId: event.data.managerId });
    case 'ContactLogged':
    case 'SatisfactionRecorded':
    case 'ExpansionWon':
      return state;
    case 'ComplaintRaised': {
      const { complaintId, severity, slaDueAt } = event.data;
      const { openComplaints } = collectionsOf(state);
      return withCollections(state, { openComplaints: openComplaints.set(complaintId, { severity, slaDueAt, raisedAt: at }) });
    }
    case 'ComplaintResolved': {
      const { openComplaints, resolvedComplaints } = collectionsOf(state);
      const { complaintId } = event.data;
      return withCollections(state, {
        openComplaints: openComplaints.delete(complaintId),
        resolvedComplaints: resolvedComplaints.has(complaintId) ? resolvedComplaints : resolvedComplaints.set(complaintId, true),
      });
    }
    case 'InvoiceIssued': {
      const { invoiceId, amount, dueOn } = event.data;
      const { invoices, unpaidInvoices } = collectionsOf(state);
      const invoice = { amount, paid: 0, dueOn, issuedAt: at };
      const issued = invoices.set(invoiceId, invoice);
      // An id issued again (history the rules of today refuse) keeps its first place: list them afresh.
      const unpaid = invoices.has(invoiceId) ? unpaidEntries(issued.entries()) : withUnpaid(unpaidInvoices, invoiceId, invoice);
      return withCollections(state, { invoices: issued, unpaidInvoices: unpaid });
    }
    case 'InvoicePaid': {
      const { invoices, unpaidInvoices } = collectionsOf(state);
      const invoice = invoices.get(event.data.invoiceId);
      if (invoice === undefined) return state;
      const paid = { ...invoice, paid: invoice.paid + event.data.amount };
      return withCollections(state, { invoices: invoices.set(event.data.invoiceId, paid), unpaidInvoices: withUnpaid(unpaidInvoices, event.data.invoiceId, paid) });
    }
    case 'RenewalWon': {
      const { endsOn, annualValue } = event.data;
      const contract = state.contract === null ? null : { ...state.contract, endsOn, annualValue };
      return withScalars(state, { contract, renewalStatus: 'won' });
    }
    case 'RenewalLost':
      return withScalars(state, { renewalStatus: 'lost' });
    case 'AccountClosed':
      return withScalars(state, { closed: true, closedAt: at });
    case 'EscalationOpened': {
      const { escalationId, rule } = event.data;
      const { escalations } = collectionsOf(state);
      return withCollections(state, { escalations: escalations.set(escalationId, { status: 'open', rule, openedAt: at }) });
    }
    case 'EscalationAcknowledged': {
      const { escalations } = collectionsOf(state);
      const escalation = escalations.get(event.data.escalationId);
      if (escalation === undefined || escalation.status !== 'open') return state;
      const acknowledged = { ...escalation, status: 'acknowledged' as const };
      return withCollections(state, { escalations: escalations.set(event.data.escalationId, acknowledged) });
    }
    case 'EscalationResolved': {
      const { escalations } = collectionsOf(state);
      const escalation = escalations.get(event.data.escalationId);
      if (escalation === undefined) return state;
      const resolved = { ...escalation, status: 'resolved' as const };
      return withCollections(state, { escalations: escalations.set(event.data.escalationId, resolved) });
    }
    default:
      return assertNever(event);
  }
}

/** The unpaid invoices once `invoiceId` holds `invoice`: replaced in place, dropped when paid in full, appended when new. */
function withUnpaid(unpaid: UnpaidInvoices, invoiceId: string, invoice: InvoiceState): UnpaidInvoices {
  const index = unpaid.findIndex(([id]) => id === invoiceId);
  if (outstandingOf(invoice) === 0) return index === -1 ? unpaid : unpaid.filter((_, at) => at !== index);
  if (index !== -1) return unpaid.with(index, [invoiceId, invoice]);
  return [...unpaid, [invoiceId, invoice]];
}

/** The state after every event, in stream order. */
export function foldEvents(events: Iterable<FoldableEvent>, from: AccountState = initialState()): AccountState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}
