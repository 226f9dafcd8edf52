// Words for the health row's fields: factor names and what their measured value means.
import { num } from '../../lib/format.js';

const DAY_MS = 86_400_000;

/** Label and the reading of `value` per factor of the scorecard (docs/read-models.md, "The churn-risk score"). */
const FACTORS = {
  openComplaints: { label: 'Open complaints', value: (v) => count(v, 'complaint') },
  slaBreaches: { label: 'SLA breaches', value: (v) => count(v, 'complaint') + ' past SLA' },
  daysSinceLastContact: { label: 'Days since last contact', value: (v) => days(v) },
  satisfactionLevel: { label: 'Satisfaction (latest)', value: (v) => (v === null ? 'no surveys yet' : `${num(v, 1)} / 100`) },
  satisfactionTrend: { label: 'Satisfaction trend', value: (v) => (v === null ? 'too few surveys' : `${signed(v, 2)} pts / 30 days`) },
  overdueInvoices: { label: 'Overdue invoices', value: (v) => count(v, 'invoice') },
  daysOverdue: { label: 'Days overdue (oldest)', value: (v) => days(v) },
  renewalApproaching: { label: 'Renewal approaching', value: (v) => renewalIn(v) },
  renewalLost: { label: 'Renewal lost', value: (v) => (v ? 'yes' : 'no') },
};

export function factorLabel(name) {
  return FACTORS[name]?.label ?? name.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}

export function factorValueText(name, value) {
  if (value === undefined) return '—';
  const reading = FACTORS[name]?.value;
  if (reading) return reading(value);
  return value === null ? '—' : num(value, 2);
}

export function count(value, noun) {
  if (value === null || value === undefined) return '—';
  return `${num(value)} ${noun}${value === 1 ? '' : 's'}`;
}

export function days(value) {
  if (value === null || value === undefined) return '—';
  return `${num(value)} day${value === 1 ? '' : 's'}`;
}

export function signed(value, digits = 0) {
  if (value === null || value === undefined) return '—';
  return `${value > 0 ? '+' : value < 0 ? '−' : ''}${num(Math.abs(value), digits)}`;
}

function renewalIn(value) {
  if (value === null) return 'no contract';
  if (value < 0) return `ended ${days(-value)} ago`;
  return `in ${days(value)}`;
}

/** Whole UTC days from today to `isoDate` (negative once past). */
export function daysUntil(isoDate, now = Date.now()) {
  if (!isoDate) return null;
  const target = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  return Math.round((target - today) / DAY_MS);
}

/** 'today', 'in 12 days', '3 days ago' */
export function relativeDays(dayCount) {
  if (dayCount === null || dayCount === undefined) return '';
  if (dayCount === 0) return 'today';
  return dayCount > 0 ? `in ${days(dayCount)}` : `${days(-dayCount)} ago`;
}

export const LTV_MODELS = {
  sbg: 'sBG (contract renewals)',
  'bgnbd-gamma-gamma': 'BG/NBD + Gamma-Gamma (repeat purchases)',
  contract: 'Remaining contract only',
  none: 'None (closed or no basis)',
};

export const ESCALATION_RULES = {
  'critical-complaint': 'Critical complaint',
  'complaint-sla-breach': 'Complaint SLA breach',
  'invoice-overdue': 'Invoice overdue',
  'band-red': 'Band turned red',
  'satisfaction-drop': 'Satisfaction drop',
};

export { DAY_MS };
