import { escalationOf, unpaidInvoicesOf } from '@ahe/domain';
import { complaintSlaTimer, invoiceOverdueTimer, type OpenAction } from './escalation-policies';
import type { EscalationRulesDocument } from './escalation-rules.schema';
import type { EscalationWatch } from './escalation-watch';

/**
 * The timers the account should have pending: an SLA timer for every open complaint and an
 * overdue timer for every invoice not paid in full, whose escalation is not on the stream yet.
 * The periodic sweep plans them again because the queue is not the record: Redis without
 * persistence, or evicting, forgets delayed jobs. Each comes out as its ComplaintRaised or
 * InvoiceIssued planned it (the same id, reason and trigger), so a queue that still holds it
 * ignores it, and one that ran it finds the condition gone or the escalation present.
 * The rules' switches and the freshness window apply as they did then.
 */
export function pendingTimers(watch: EscalationWatch, rules: EscalationRulesDocument, now: Date): OpenAction[] {
  const { accountId, timerCauses } = watch;
  const { state } = watch.facts;
  if (!state.exists || state.closed) return [];
  const timers: OpenAction[] = [];
  const pending = (timer: OpenAction | null, trigger: OpenAction['trigger']) => {
    if (timer === null || escalationOf(state, timer.escalationId) !== undefined) return;
    timers.push(trigger === undefined ? timer : { ...timer, trigger });
  };
  for (const [complaintId, { severity, slaDueAt }] of Object.entries(state.openComplaints)) {
    const cause = Object.hasOwn(timerCauses.complaints, complaintId) ? timerCauses.complaints[complaintId] : undefined;
    const complaint = { complaintId, severity, slaDueAt, ...(cause === undefined ? {} : { category: cause.category }) };
    pending(complaintSlaTimer(accountId, complaint, rules, now), cause === undefined ? undefined : triggerOf(cause));
  }
  // The unpaid ones, kept by the fold: walking state.invoices would build the whole record per event.
  for (const [invoiceId, invoice] of unpaidInvoicesOf(state)) {
    const cause = Object.hasOwn(timerCauses.invoices, invoiceId) ? timerCauses.invoices[invoiceId] : undefined;
    pending(invoiceOverdueTimer(accountId, { invoiceId, amount: invoice.amount, dueOn: invoice.dueOn }, state.currency, rules, now), cause && triggerOf(cause));
  }
  return timers;
}

/** The cause without what only the reason needed. */
function triggerOf({ eventId, correlationId }: NonNullable<OpenAction['trigger']>): NonNullable<OpenAction['trigger']> {
  return correlationId === undefined ? { eventId } : { eventId, correlationId };
}
