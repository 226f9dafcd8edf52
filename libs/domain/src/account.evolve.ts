import { assertNever, type AccountEvent } from '@ahe/events';
import { entryOf, initialState, withEntry, withoutEntry, type AccountState } from './account.state';

export type FoldableEvent = AccountEvent & { readonly occurredAt: string };

/**
 * Folds one event into the state. Total: any event the store holds folds without throwing,
 * even one the rules of today would refuse (history written before a rule existed), so an
 * account can always be read and replayed.
 */
export function evolve(state: AccountState, event: FoldableEvent): AccountState {
  const at = event.occurredAt;
  switch (event.type) {
    case 'AccountOpened': {
      const { name, segment, managerId, currency, contract } = event.data;
      return {
        ...state,
        exists: true,
        closed: false,
        openedAt: at,
        closedAt: null,
        name,
        segment,
        managerId,
        currency,
        contract: contract === undefined ? null : { ...contract },
      };
    }
    case 'AccountManagerAssigned':
      return { ...state, managerId: event.data.managerId };
    case 'ContactLogged':
    case 'SatisfactionRecorded':
    case 'ExpansionWon':
      return state;
    case 'ComplaintRaised': {
      const { complaintId, severity, slaDueAt } = event.data;
      return {
        ...state,
        openComplaints: withEntry(state.openComplaints, complaintId, { severity, slaDueAt, raisedAt: at }),
      };
    }
    case 'ComplaintResolved': {
      const { complaintId } = event.data;
      return {
        ...state,
        openComplaints: withoutEntry(state.openComplaints, complaintId),
        resolvedComplaintIds: state.resolvedComplaintIds.includes(complaintId)
          ? state.resolvedComplaintIds
          : [...state.resolvedComplaintIds, complaintId],
      };
    }
    case 'InvoiceIssued': {
      const { invoiceId, amount, dueOn } = event.data;
      return { ...state, invoices: withEntry(state.invoices, invoiceId, { amount, paid: 0, dueOn, issuedAt: at }) };
    }
    case 'InvoicePaid': {
      const invoice = entryOf(state.invoices, event.data.invoiceId);
      if (invoice === undefined) return state;
      const paid = { ...invoice, paid: invoice.paid + event.data.amount };
      return { ...state, invoices: withEntry(state.invoices, event.data.invoiceId, paid) };
    }
    case 'RenewalWon': {
      const { endsOn, annualValue } = event.data;
      const contract = state.contract === null ? null : { ...state.contract, endsOn, annualValue };
      return { ...state, contract, renewalStatus: 'won' };
    }
    case 'RenewalLost':
      return { ...state, renewalStatus: 'lost' };
    case 'AccountClosed':
      return { ...state, closed: true, closedAt: at };
    case 'EscalationOpened': {
      const { escalationId, rule } = event.data;
      return {
        ...state,
        escalations: withEntry(state.escalations, escalationId, { status: 'open', rule, openedAt: at }),
      };
    }
    case 'EscalationAcknowledged': {
      const escalation = entryOf(state.escalations, event.data.escalationId);
      if (escalation === undefined || escalation.status !== 'open') return state;
      const acknowledged = { ...escalation, status: 'acknowledged' as const };
      return { ...state, escalations: withEntry(state.escalations, event.data.escalationId, acknowledged) };
    }
    case 'EscalationResolved': {
      const escalation = entryOf(state.escalations, event.data.escalationId);
      if (escalation === undefined) return state;
      const resolved = { ...escalation, status: 'resolved' as const };
      return { ...state, escalations: withEntry(state.escalations, event.data.escalationId, resolved) };
    }
    default:
      return assertNever(event);
  }
}

/** The state after every event, in stream order. */
export function foldEvents(events: Iterable<FoldableEvent>, from: AccountState = initialState()): AccountState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}
