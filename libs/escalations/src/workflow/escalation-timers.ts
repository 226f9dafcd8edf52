import { escalationOf, unpaidInvoicesOf } from '@ahe/domain';
import { NO_DETRACTOR_CAUSES } from './detractor-causes';
import { complaintSlaTimer, criticalComplaintOpen, invoiceOverdueTimer, type OpenAction } from './escalation-policies';
import type { EscalationRulesDocument } from './escalation-rules.schema';
import type { EscalationWatch } from './escalation-watch';
import { npsDetractorOpen } from './health.policies';

/**
 * The opens the account should have queued whose escalation is not on the stream yet: the
 * at-once open of every open complaint whose severity the rules list and of every NPS
 * detractor survey kept, an SLA timer for every open complaint and an overdue timer for every
 * invoice not paid in full. The periodic sweep plans them again because the queue is not the
 * record: Redis without persistence, or evicting, forgets jobs it had accepted. Each comes out
 * as its ComplaintRaised, SatisfactionRecorded or InvoiceIssued planned it (the same id, reason
 * and trigger), so a queue that still holds it ignores it, and one that ran it finds the
 * condition gone or the escalation present. The rules' switches and the freshness window
 * apply as they did then.
 */
export function pendingOpens(watch: EscalationWatch, rules: EscalationRulesDocument, now: Date): OpenAction[] {
  const { accountId, timerCauses } = watch;
  const { state } = watch.facts;
  if (!state.exists || state.closed) return [];
  const opens: OpenAction[] = [];
  const pending = (open: OpenAction | null, trigger: OpenAction['trigger']) => {
    if (open === null || escalationOf(state, open.escalationId) !== undefined) return;
    opens.push(trigger === undefined ? open : { ...open, trigger });
  };
  for (const [complaintId, { severity, slaDueAt, raisedAt }] of Object.entries(state.openComplaints)) {
    const cause = Object.hasOwn(timerCauses.complaints, complaintId) ? timerCauses.complaints[complaintId] : undefined;
    const trigger = cause === undefined ? undefined : triggerOf(cause);
    const told = cause === undefined ? {} : { category: cause.category, ...(cause.description === undefined ? {} : { description: cause.description }) };
    const complaint = { complaintId, severity, slaDueAt, ...told };
    pending(criticalComplaintOpen(accountId, complaint, raisedAt, rules, now), trigger);
    pending(complaintSlaTimer(accountId, complaint, rules, now), trigger);
  }
  // The unpaid ones, kept by the fold: walking state.invoices would build the whole record per event.
  for (const [invoiceId, invoice] of unpaidInvoicesOf(state)) {
    const cause = Object.hasOwn(timerCauses.invoices, invoiceId) ? timerCauses.invoices[invoiceId] : undefined;
    pending(invoiceOverdueTimer(accountId, { invoiceId, amount: invoice.amount, dueOn: invoice.dueOn }, state.currency, rules, now), cause && triggerOf(cause));
  }
  for (const detractor of Object.values(watch.detractors ?? NO_DETRACTOR_CAUSES)) pending(npsDetractorOpen(accountId, detractor, rules, now), triggerOf(detractor));
  return opens;
}

/** The cause without what only the reason needed. */
function triggerOf({ eventId, correlationId }: NonNullable<OpenAction['trigger']>): NonNullable<OpenAction['trigger']> {
  return correlationId === undefined ? { eventId } : { eventId, correlationId };
}
