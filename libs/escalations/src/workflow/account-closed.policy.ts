import { outstandingOf } from '@ahe/domain';
import { complaintEscalationId, invoiceEscalationId } from './escalation-ids';
import type { EscalationAction, EscalationPolicy } from './escalation-policies';
import { accountClosedResolution } from './escalation-reasons';

/**
 * A closed account has nobody left to call: every escalation still open or acknowledged is
 * resolved with the closure's reason, and the timers that would open new ones (SLA of a
 * complaint still open, an invoice still owed) are dropped. Not a rule of its own, so no
 * switch turns it off.
 */
export const accountClosedPolicy: EscalationPolicy = ({ event, after }) => {
  if (event?.type !== 'AccountClosed') return [];
  const { accountId } = after;
  const { state } = after.facts;
  const timers = [
    ...Object.keys(state.openComplaints).map((complaintId) => complaintEscalationId(accountId, 'complaint-sla-breach', complaintId)),
    ...Object.entries(state.invoices)
      .filter(([, invoice]) => outstandingOf(invoice) > 0)
      .map(([invoiceId]) => invoiceEscalationId(accountId, invoiceId)),
  ];
  const resolution = accountClosedResolution(event.data.reason);
  return [
    ...timers.map((escalationId): EscalationAction => ({ kind: 'cancel', escalationId })),
    ...Object.entries(state.escalations)
      .filter(([, escalation]) => escalation.status !== 'resolved')
      .map(([escalationId]): EscalationAction => ({ kind: 'resolve', escalationId, resolution })),
  ];
};
