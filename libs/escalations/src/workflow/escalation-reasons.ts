import type { ComplaintRaised, ComplaintResolved, Severity } from '@ahe/events';

/**
 * The words a person reads in a webhook or the escalations list: what fired, on what, and
 * by when. Free text from the log (descriptions, comments) is cut short, so a reason stays
 * a headline and within the event schema's limit whatever was typed.
 */
const EXCERPT_CHARACTERS = 120;

/** At most `max` characters (code points, so an emoji is never cut in half), with "…" if cut. */
export function excerpt(text: string, max: number = EXCERPT_CHARACTERS): string {
  const characters = Array.from(text.trim());
  return characters.length <= max ? characters.join('') : `${characters.slice(0, max).join('')}…`;
}

/** 12000 → "12,000": the same in every locale, so a reason does not depend on the host. */
export function groupedDigits(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function severityLabel(severity: Severity): string {
  return severity === 'critical' ? 'Critical' : `${severity[0]!.toUpperCase()}${severity.slice(1)}-severity`;
}

/** What the critical-complaint reason names; category and description are unknown to a sweep of a watch folded before they were kept. */
export type CriticalComplaint = Pick<ComplaintRaised, 'complaintId' | 'severity'> & { readonly category?: string; readonly description?: string };

export function criticalComplaintReason(complaint: CriticalComplaint): string {
  const about = complaint.category === undefined ? '' : ` (${complaint.category})`;
  const said = complaint.description === undefined ? '' : `: ${excerpt(complaint.description)}`;
  return `${severityLabel(complaint.severity)} complaint ${complaint.complaintId}${about}${said}`;
}

/** The category is left out when unknown: a sweep's timer for a complaint folded before categories were kept. */
export function complaintSlaReason(complaint: Pick<ComplaintRaised, 'complaintId' | 'severity' | 'slaDueAt'> & { readonly category?: string }): string {
  const about = complaint.category === undefined ? complaint.severity : `${complaint.severity}, ${complaint.category}`;
  return `Complaint ${complaint.complaintId} (${about}) still open at its SLA due ${complaint.slaDueAt}`;
}

export function complaintResolution(resolved: ComplaintResolved): string {
  return `Complaint ${resolved.complaintId} resolved: ${excerpt(resolved.resolution)}`;
}

/** A complaint found resolved later than its ComplaintResolved, whose words the account state does not keep. */
export const complaintClosedResolution = (complaintId: string): string => `Complaint ${complaintId} resolved`;

export interface OverdueInvoice {
  readonly invoiceId: string;
  readonly amount: number;
  readonly dueOn: string;
  readonly currency: string | null;
}

export function invoiceOverdueReason(invoice: OverdueInvoice, daysAfterDue: number): string {
  const units = invoice.currency === null ? 'minor units' : `minor units of ${invoice.currency}`;
  const days = daysAfterDue === 1 ? '1 day' : `${daysAfterDue} days`;
  return `Invoice ${invoice.invoiceId} (${groupedDigits(invoice.amount)} ${units}) unpaid ${days} after due ${invoice.dueOn}`;
}

export const invoicePaidResolution = (invoiceId: string): string => `Invoice ${invoiceId} paid in full`;

/** The factors that add the most points first, so the reason reads as the diagnosis. */
export function bandRedReason(churnRisk: number, riskPoints: Readonly<Record<string, number>>): string {
  const factors = Object.entries(riskPoints)
    .sort(([nameA, a], [nameB, b]) => b - a || nameA.localeCompare(nameB, 'en'))
    .map(([name, points]) => `${name} +${points}`);
  return `Risk band turned red: churn risk ${churnRisk}${factors.length === 0 ? '' : ` (${factors.join(', ')})`}`;
}

export const bandLeftRedResolution = (band: string, churnRisk: number | null): string =>
  `Risk band no longer red: ${band}${churnRisk === null ? '' : `, churn risk ${churnRisk}`}`;

export const earlierRedEpisodeResolution = (): string => 'Risk band left red since; a later red episode has its own escalation';

export function npsDetractorReason(score: number, comment: string | undefined): string {
  const said = comment === undefined || comment.trim() === '' ? '' : `: "${excerpt(comment)}"`;
  return `NPS detractor: scored ${score} of 10${said}`;
}

export const trendFallingReason = (trend: number, trendBelow: number): string =>
  `Satisfaction trend ${trend} points per 30 days, below ${trendBelow}`;

/** Without a reason when the closure is long folded: the account state keeps only that it is closed. */
export const accountClosedResolution = (reason?: string): string => (reason === undefined ? 'Account closed' : `Account closed: ${excerpt(reason)}`);
