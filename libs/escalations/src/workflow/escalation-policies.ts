import { invoiceOf, outstandingOf, type FoldableEvent } from '@ahe/domain';
import type { ComplaintRaised, EscalationRule, InvoiceIssued, Severity } from '@ahe/events';
import type { OpenCondition } from '../escalation-jobs';
import { complaintEscalationId, invoiceEscalationId } from './escalation-ids';
import * as reasons from './escalation-reasons';
import { isFresh } from './freshness';
import type { EscalationRulesDocument } from './escalation-rules.schema';
import type { EscalationWatch } from './escalation-watch';
import type { TimerCause } from './timer-causes';

/**
 * One small pure policy per rule. Each looks at the event just folded (or none, in a periodic
 * recheck), the account before and after it, the rules and the clock, and says what should
 * happen. Opening is subject to the rule's switch and to freshness; taking an escalation back
 * when its cause went away is not, so turning a rule off never strands an escalation it opened.
 * The workflow drops opens of escalations that already exist and resolves of ones that do not
 * or are resolved already.
 */
export type EscalationAction = OpenAction | ResolveAction | CancelAction;

export interface OpenAction {
  readonly kind: 'open';
  readonly escalationId: string;
  readonly rule: EscalationRule;
  readonly reason: string;
  /** Checked again when the job runs. */
  readonly condition: OpenCondition;
  readonly severity?: Severity;
  readonly dueAt?: string;
  /** A timer: open at this ISO instant if the condition still holds. Absent: at once. */
  readonly runAt?: string;
  /** The event that started a timer a sweep plans again; absent: the event (or recheck) deciding. */
  readonly trigger?: TimerCause;
}

export interface ResolveAction {
  readonly kind: 'resolve';
  readonly escalationId: string;
  readonly resolution: string;
}

/** The cause of a pending timer went away: drop the job that would open this escalation. */
export interface CancelAction {
  readonly kind: 'cancel';
  readonly escalationId: string;
}

/** The event a decision is about, with the id that names what it causes. */
export type TriggeringEvent = FoldableEvent & { readonly eventId: string };

export interface PolicyInput {
  /** Null in a periodic recheck: only time moved. */
  readonly event: TriggeringEvent | null;
  readonly before: EscalationWatch;
  readonly after: EscalationWatch;
  readonly rules: EscalationRulesDocument;
  readonly now: Date;
}

export type EscalationPolicy = (input: PolicyInput) => readonly EscalationAction[];

export const NOTHING: readonly EscalationAction[] = Object.freeze([]);
const DAY_MS = 86_400_000;


export const criticalComplaintPolicy: EscalationPolicy = ({ event, after, rules, now }) => {
  if (event?.type === 'ComplaintResolved') {
    const escalationId = complaintEscalationId(after.accountId, 'critical-complaint', event.data.complaintId);
    return [{ kind: 'resolve', escalationId, resolution: reasons.complaintResolution(event.data) }];
  }
  if (event?.type !== 'ComplaintRaised') return NOTHING;
  const open = criticalComplaintOpen(after.accountId, event.data, event.occurredAt, rules, now);
  return open === null ? NOTHING : [open];
};

/** A complaint as its critical-complaint open needs it: its ComplaintRaised, or what a sweep kept of it. */
export type CriticalComplaint = reasons.CriticalComplaint & Pick<ComplaintRaised, 'slaDueAt'>;

/** The at-once open of a complaint whose severity the rules list, as its ComplaintRaised plans it and a sweep plans it again. */
export function criticalComplaintOpen(accountId: string, complaint: CriticalComplaint, raisedAt: string, rules: EscalationRulesDocument, now: Date): OpenAction | null {
  const { enabled, severities } = rules.criticalComplaint;
  if (!enabled || !severities.includes(complaint.severity) || !isFresh(raisedAt, rules, now)) return null;
  return {
    kind: 'open',
    escalationId: complaintEscalationId(accountId, 'critical-complaint', complaint.complaintId),
    rule: 'critical-complaint',
    reason: reasons.criticalComplaintReason(complaint),
    condition: { kind: 'complaint-open', complaintId: complaint.complaintId },
    severity: complaint.severity,
    // The deadline the customer was promised is the latest anyone should pick it up.
    dueAt: complaint.slaDueAt,
  };
}

export const complaintSlaPolicy: EscalationPolicy = ({ event, after, rules, now }) => {
  if (event?.type === 'ComplaintResolved') {
    const escalationId = complaintEscalationId(after.accountId, 'complaint-sla-breach', event.data.complaintId);
    return [
      { kind: 'cancel', escalationId },
      { kind: 'resolve', escalationId, resolution: reasons.complaintResolution(event.data) },
    ];
  }
  if (event?.type !== 'ComplaintRaised') return NOTHING;
  const timer = complaintSlaTimer(after.accountId, event.data, rules, now);
  return timer === null ? NOTHING : [timer];
};

/** A complaint as its SLA timer needs it; the category is unknown to a sweep of a watch folded before it was kept. */
export type SlaComplaint = Pick<ComplaintRaised, 'complaintId' | 'severity' | 'slaDueAt'> & { readonly category?: string };

/** The SLA timer of a complaint, as its ComplaintRaised plans it and a sweep plans it again. */
export function complaintSlaTimer(accountId: string, complaint: SlaComplaint, rules: EscalationRulesDocument, now: Date): OpenAction | null {
  if (!rules.complaintSla.enabled || !isFresh(complaint.slaDueAt, rules, now)) return null;
  return {
    kind: 'open',
    escalationId: complaintEscalationId(accountId, 'complaint-sla-breach', complaint.complaintId),
    rule: 'complaint-sla-breach',
    reason: reasons.complaintSlaReason(complaint),
    condition: { kind: 'complaint-open', complaintId: complaint.complaintId },
    severity: complaint.severity,
    runAt: complaint.slaDueAt,
  };
}

/** 00:00 UTC of dueOn plus daysAfterDue days, epoch ms. */
export const invoiceDeadlineMs = (dueOn: string, daysAfterDue: number): number => Date.parse(dueOn) + daysAfterDue * DAY_MS;

export const invoiceOverduePolicy: EscalationPolicy = ({ event, after, rules, now }) => {
  if (event?.type === 'InvoicePaid') {
    const { invoiceId } = event.data;
    const invoice = invoiceOf(after.facts.state, invoiceId);
    if (invoice === undefined || outstandingOf(invoice) > 0) return NOTHING;
    const escalationId = invoiceEscalationId(after.accountId, invoiceId);
    return [
      { kind: 'cancel', escalationId },
      { kind: 'resolve', escalationId, resolution: reasons.invoicePaidResolution(invoiceId) },
    ];
  }
  if (event?.type !== 'InvoiceIssued') return NOTHING;
  const timer = invoiceOverdueTimer(after.accountId, event.data, after.facts.state.currency, rules, now);
  return timer === null ? NOTHING : [timer];
};

/** The overdue timer of an invoice, as its InvoiceIssued plans it and a sweep plans it again. */
export function invoiceOverdueTimer(accountId: string, invoice: InvoiceIssued, currency: string | null, rules: EscalationRulesDocument, now: Date): OpenAction | null {
  const { enabled, daysAfterDue } = rules.invoiceOverdue;
  const deadlineMs = invoiceDeadlineMs(invoice.dueOn, daysAfterDue);
  if (!enabled || !isFresh(deadlineMs, rules, now)) return null;
  return {
    kind: 'open',
    escalationId: invoiceEscalationId(accountId, invoice.invoiceId),
    rule: 'invoice-overdue',
    reason: reasons.invoiceOverdueReason({ ...invoice, currency }, daysAfterDue),
    condition: { kind: 'invoice-unpaid', invoiceId: invoice.invoiceId },
    runAt: new Date(deadlineMs).toISOString(),
  };
}
