import { outstandingOf, unpaidInvoicesOf, type AccountState } from '@ahe/domain';
import { assertNever } from '@ahe/events';
import { complaintEscalationId, invoiceEscalationId } from './escalation-ids';
import { unresolvedOf } from './escalation-episodes';
import { NOTHING, type EscalationAction, type EscalationPolicy, type ResolveAction } from './escalation-policies';
import * as reasons from './escalation-reasons';

/**
 * Resolves every escalation still open or acknowledged whose cause is gone. The policies that
 * watch a cause go away (a ComplaintResolved, a payment, the band leaving red) can only resolve
 * what is already on the stream, and an open job appends later: a band red and green again in
 * one batch, or a complaint resolved while its open job ran. Asked on every decision, this one
 * resolves such an escalation when its EscalationOpened is folded, with the same job id
 * whoever asks. A satisfaction drop is left to a person.
 */
export const causeGonePolicy: EscalationPolicy = ({ after }) => {
  const { state } = after.facts;
  const unresolved = Object.entries(state.escalations).filter(([, escalation]) => escalation.status !== 'resolved');
  if (unresolved.length === 0) return NOTHING;
  const resolution = (escalationId: string, text: string): ResolveAction => ({ kind: 'resolve', escalationId, resolution: text });
  if (state.closed) return unresolved.map(([escalationId]) => resolution(escalationId, reasons.accountClosedResolution()));
  const causes = new CauseIndex(after.accountId, state);
  // Oldest first: while red, the newest stands for this red stretch and the others for stretches gone by.
  const red = unresolvedOf(state, 'band-red');
  const current = after.band === 'red' ? red.at(-1) : undefined;
  return unresolved.flatMap(([escalationId, { rule }]): EscalationAction[] => {
    switch (rule) {
      case 'band-red':
        if (escalationId === current) return [];
        if (after.band === 'red') return [resolution(escalationId, reasons.earlierRedEpisodeResolution())];
        return [resolution(escalationId, reasons.bandLeftRedResolution(after.band ?? 'unknown', after.churnRisk))];
      case 'critical-complaint':
      case 'complaint-sla-breach': {
        const complaintId = causes.resolvedComplaintOf(escalationId, rule);
        return complaintId === undefined ? [] : [resolution(escalationId, reasons.complaintClosedResolution(complaintId))];
      }
      case 'invoice-overdue': {
        const invoiceId = causes.paidInvoiceOf(escalationId);
        return invoiceId === undefined ? [] : [resolution(escalationId, reasons.invoicePaidResolution(invoiceId))];
      }
      case 'satisfaction-drop':
        return [];
      default:
        return assertNever(rule);
    }
  });
};

/**
 * Escalation ids are one-way hashes of their cause, so the cause is found by hashing the
 * candidates: open complaints and unpaid invoices first (the common case, few of them), the
 * long tail of resolved complaints and paid invoices only for an escalation not among those.
 */
class CauseIndex {
  private openComplaintEscalations: Set<string> | undefined;
  private unpaidInvoiceEscalations: Set<string> | undefined;

  constructor(
    private readonly accountId: string,
    private readonly state: AccountState,
  ) {}

  /** The complaint of an escalation whose complaint is resolved; undefined while it is open, or for an unknown cause. */
  resolvedComplaintOf(escalationId: string, rule: 'critical-complaint' | 'complaint-sla-breach'): string | undefined {
    this.openComplaintEscalations ??= new Set(
      Object.keys(this.state.openComplaints).flatMap((complaintId) => [
        complaintEscalationId(this.accountId, 'critical-complaint', complaintId),
        complaintEscalationId(this.accountId, 'complaint-sla-breach', complaintId),
      ]),
    );
    if (this.openComplaintEscalations.has(escalationId)) return undefined;
    return this.state.resolvedComplaintIds.findLast((complaintId) => complaintEscalationId(this.accountId, rule, complaintId) === escalationId);
  }

  /** The invoice of an escalation whose invoice is paid in full; undefined while unpaid, or for an unknown cause. */
  paidInvoiceOf(escalationId: string): string | undefined {
    this.unpaidInvoiceEscalations ??= new Set(unpaidInvoicesOf(this.state).map(([invoiceId]) => invoiceEscalationId(this.accountId, invoiceId)));
    if (this.unpaidInvoiceEscalations.has(escalationId)) return undefined;
    return Object.entries(this.state.invoices).find(([invoiceId, invoice]) => outstandingOf(invoice) === 0 && invoiceEscalationId(this.accountId, invoiceId) === escalationId)?.[0];
  }
}
