import { SEVERITY_SIGNAL, type SegmentProfile } from './demo-catalogue';
import { DAY_MS, isoDate, type TimedEvent } from './account-timeline';
import { sigmoid } from './seeded-random';

/** What an account manager could see in the year before a renewal decision. */
export interface RenewalSignals {
  /** Complaints raised, weighted by severity (low 0.5 … critical 2.5). */
  readonly complaints: number;
  /** Invoices paid after their due date, or past due and still unpaid. */
  readonly latePayments: number;
  readonly daysSinceContact: number;
  /** Fall of the normalised survey score (0–1) from the first to the second half of the year. */
  readonly satisfactionDrop: number;
}

const WINDOW_MS = 365 * DAY_MS;

export function observeSignals(history: readonly TimedEvent[], at: number, openedAt: number): RenewalSignals {
  const from = at - WINDOW_MS;
  const dueOn = new Map<string, { dueOn: string; amount: number; paid: number; late: boolean }>();
  let complaints = 0;
  let lastContact = openedAt;
  const scores: number[] = [];
  for (const { at: when, event } of history) {
    if (when > at) break;
    if (event.type === 'ContactLogged') lastContact = when;
    if (when < from) {
      if (event.type === 'InvoiceIssued') dueOn.set(event.data.invoiceId, { ...event.data, paid: 0, late: false });
      continue;
    }
    if (event.type === 'ComplaintRaised') complaints += SEVERITY_SIGNAL[event.data.severity];
    if (event.type === 'SatisfactionRecorded') scores.push(event.data.kind === 'csat' ? (event.data.score - 1) / 4 : event.data.score / 10);
    if (event.type === 'InvoiceIssued') dueOn.set(event.data.invoiceId, { ...event.data, paid: 0, late: false });
    if (event.type === 'InvoicePaid') {
      const invoice = dueOn.get(event.data.invoiceId);
      if (invoice) {
        invoice.paid += event.data.amount;
        if (isoDate(when) > invoice.dueOn) invoice.late = true;
      }
    }
  }
  const today = isoDate(at);
  const latePayments = [...dueOn.values()].filter((invoice) => invoice.late || (invoice.paid < invoice.amount && invoice.dueOn < today)).length;
  const half = Math.floor(scores.length / 2);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const satisfactionDrop = scores.length >= 2 ? Math.max(0, mean(scores.slice(0, half)) - mean(scores.slice(half))) : 0;
  return { complaints, latePayments, daysSinceContact: (at - lastContact) / DAY_MS, satisfactionDrop };
}

/** The model of README.md: log-odds of a lost renewal, from the segment's baseline and the signals. */
export function renewalLossProbability(signals: RenewalSignals, profile: SegmentProfile): number {
  const silence = Math.min(signals.daysSinceContact / 90, 3);
  return sigmoid(
    profile.lossBaseline +
      0.45 * Math.min(signals.complaints, 6) +
      0.35 * Math.min(signals.latePayments, 6) +
      0.8 * Math.max(0, silence - 1) +
      3 * signals.satisfactionDrop,
  );
}

/** What a lost renewal gives as its reason when no signal explains it. */
export const NO_SIGNAL_REASON = 'Consolidated vendors';

/** The reason a lost renewal gives: the strongest signal. */
export function lossReason(signals: RenewalSignals): string {
  const ranked: [number, string][] = [
    [0.45 * Math.min(signals.complaints, 6), 'Unhappy with service quality after repeated complaints'],
    [0.35 * Math.min(signals.latePayments, 6), 'Budget cuts: the customer could not keep paying'],
    [0.8 * Math.max(0, Math.min(signals.daysSinceContact / 90, 3) - 1), 'No longer engaged with the product'],
    [3 * signals.satisfactionDrop, 'Satisfaction fell; moved to a competitor'],
  ];
  ranked.sort((a, b) => b[0] - a[0]);
  return ranked[0]![0] > 0 ? ranked[0]![1] : NO_SIGNAL_REASON;
}
