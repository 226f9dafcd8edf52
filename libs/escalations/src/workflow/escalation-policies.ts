import { outstandingOf, type FoldableEvent } from '@ahe/domain';
import type { EscalationRule, Severity } from '@ahe/events';
import type { OpenCondition } from '../escalation-jobs';
import {
  complaintEscalationId,
  detractorEscalationId,
  fallingEpisodeEscalationId,
  invoiceEscalationId,
  redEpisodeEscalationId,
} from './escalation-ids';
import * as reasons from './escalation-reasons';
import type { EscalationRulesDocument } from './escalation-rules.schema';
import type { EscalationWatch } from './escalation-watch';

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

const NOTHING: readonly EscalationAction[] = Object.freeze([]);
const DAY_MS = 86_400_000;

/** The condition arose at most maxAgeDays before now; a deadline still ahead is always fresh. */
export function isFresh(arisenAt: string | number, rules: Pick<EscalationRulesDocument, 'maxAgeDays'>, now: Date): boolean {
  const arisenMs = typeof arisenAt === 'number' ? arisenAt : Date.parse(arisenAt);
  return arisenMs >= now.getTime() - rules.maxAgeDays * DAY_MS;
}

export const criticalComplaintPolicy: EscalationPolicy = ({ event, after, rules, now }) => {
  if (event?.type === 'ComplaintResolved') {
    const escalationId = complaintEscalationId(after.accountId, 'critical-complaint', event.data.complaintId);
    return [{ kind: 'resolve', escalationId, resolution: reasons.complaintResolution(event.data) }];
  }
  if (event?.type !== 'ComplaintRaised') return NOTHING;
  const complaint = event.data;
  const { enabled, severities } = rules.criticalComplaint;
  if (!enabled || !severities.includes(complaint.severity) || !isFresh(event.occurredAt, rules, now)) return NOTHING;
  return [
    {
      kind: 'open',
      escalationId: complaintEscalationId(after.accountId, 'critical-complaint', complaint.complaintId),
      rule: 'critical-complaint',
      reason: reasons.criticalComplaintReason(complaint),
      condition: { kind: 'complaint-open', complaintId: complaint.complaintId },
      severity: complaint.severity,
      // The deadline the customer was promised is the latest anyone should pick it up.
      dueAt: complaint.slaDueAt,
    },
  ];
};

export const complaintSlaPolicy: EscalationPolicy = ({ event, after, rules, now }) => {
  if (event?.type === 'ComplaintResolved') {
    const escalationId = complaintEscalationId(after.accountId, 'complaint-sla-breach', event.data.complaintId);
    return [
      { kind: 'cancel', escalationId },
      { kind: 'resolve', escalationId, resolution: reasons.complaintResolution(event.data) },
    ];
  }
  if (event?.type !== 'ComplaintRaised') return NOTHING;
  const complaint = event.data;
  if (!rules.complaintSla.enabled || !isFresh(complaint.slaDueAt, rules, now)) return NOTHING;
  return [
    {
      kind: 'open',
      escalationId: complaintEscalationId(after.accountId, 'complaint-sla-breach', complaint.complaintId),
      rule: 'complaint-sla-breach',
      reason: reasons.complaintSlaReason(complaint),
      condition: { kind: 'complaint-open', complaintId: complaint.complaintId },
      severity: complaint.severity,
      runAt: complaint.slaDueAt,
    },
  ];
};

/** 00:00 UTC of dueOn plus daysAfterDue days, epoch ms. */
export const invoiceDeadlineMs = (dueOn: string, daysAfterDue: number): number => Date.parse(dueOn) + daysAfterDue * DAY_MS;

export const invoiceOverduePolicy: EscalationPolicy = ({ event, after, rules, now }) => {
  if (event?.type === 'InvoicePaid') {
    const { invoiceId } = event.data;
    const invoice = Object.hasOwn(after.facts.state.invoices, invoiceId) ? after.facts.state.invoices[invoiceId] : undefined;
    if (invoice === undefined || outstandingOf(invoice) > 0) return NOTHING;
    const escalationId = invoiceEscalationId(after.accountId, invoiceId);
    return [
      { kind: 'cancel', escalationId },
      { kind: 'resolve', escalationId, resolution: reasons.invoicePaidResolution(invoiceId) },
    ];
  }
  if (event?.type !== 'InvoiceIssued') return NOTHING;
  const { enabled, daysAfterDue } = rules.invoiceOverdue;
  const deadlineMs = invoiceDeadlineMs(event.data.dueOn, daysAfterDue);
  if (!enabled || !isFresh(deadlineMs, rules, now)) return NOTHING;
  const { invoiceId } = event.data;
  return [
    {
      kind: 'open',
      escalationId: invoiceEscalationId(after.accountId, invoiceId),
      rule: 'invoice-overdue',
      reason: reasons.invoiceOverdueReason({ ...event.data, currency: after.facts.state.currency }, daysAfterDue),
      condition: { kind: 'invoice-unpaid', invoiceId },
      runAt: new Date(deadlineMs).toISOString(),
    },
  ];
};

/** An edge, not a level: opens when the band turns red, resolves that episode's escalation when it leaves red. */
export const bandRedPolicy: EscalationPolicy = ({ before, after, rules, now }) => {
  if (after.band === 'red' && before.band !== 'red') {
    if (!rules.bandRed.enabled || after.evaluatedAt === null || !isFresh(after.evaluatedAt, rules, now)) return NOTHING;
    return [
      {
        kind: 'open',
        escalationId: redEpisodeEscalationId(after.accountId, after.redEpisodes),
        rule: 'band-red',
        reason: reasons.bandRedReason(after.churnRisk ?? 0, after.riskPoints),
        condition: { kind: 'always' },
      },
    ];
  }
  if (before.band === 'red' && after.band !== null && after.band !== 'red') {
    const escalationId = redEpisodeEscalationId(after.accountId, before.redEpisodes);
    return [{ kind: 'resolve', escalationId, resolution: reasons.bandLeftRedResolution(after.band, after.churnRisk) }];
  }
  return NOTHING;
};

/** An NPS detractor at once, one escalation per survey; a trend falling past the threshold, one per episode. */
export const satisfactionDropPolicy: EscalationPolicy = ({ event, before, after, rules, now }) => {
  const { enabled, npsDetractorMax, trendBelow } = rules.satisfactionDrop;
  if (!enabled) return NOTHING;
  const actions: EscalationAction[] = [];
  if (event?.type === 'SatisfactionRecorded' && event.data.kind === 'nps' && event.data.score <= npsDetractorMax && isFresh(event.occurredAt, rules, now)) {
    actions.push({
      kind: 'open',
      escalationId: detractorEscalationId(after.accountId, event.eventId),
      rule: 'satisfaction-drop',
      reason: reasons.npsDetractorReason(event.data.score, event.data.comment),
      condition: { kind: 'always' },
    });
  }
  if (after.trendFalling && !before.trendFalling && after.trend !== null && after.evaluatedAt !== null && isFresh(after.evaluatedAt, rules, now)) {
    actions.push({
      kind: 'open',
      escalationId: fallingEpisodeEscalationId(after.accountId, after.fallingEpisodes),
      rule: 'satisfaction-drop',
      reason: reasons.trendFallingReason(after.trend, trendBelow),
      condition: { kind: 'always' },
    });
  }
  return actions;
};
