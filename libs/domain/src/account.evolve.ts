import { assertNever, type AccountEvent } from '@ahe/events';
import { collectionsOf, withCollections, withScalars } from './account-collections';
import { initialState, type AccountState } from './account.state';

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
      const { invoices } = collectionsOf(state);
      return withCollections(state, { invoices: invoices.set(invoiceId, { amount, paid: 0, dueOn, issuedAt: at }) });
    }
    case 'InvoicePaid': {
      const { invoices } = collectionsOf(state);
      const invoice = invoices.get(event.data.invoiceId);
      if (invoice === undefined) return state;
      const paid = { ...invoice, paid: invoice.paid + event.data.amount };
      return withCollections(state, { invoices: invoices.set(event.data.invoiceId, paid) });
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

/** The state after every event, in stream order. */
export function foldEvents(events: Iterable<FoldableEvent>, from: AccountState = initialState()): AccountState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}
