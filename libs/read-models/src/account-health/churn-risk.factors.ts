import type { Severity } from '@ahe/events';
import type { ChurnRiskFactor, SatisfactionSummary } from '../query.types';
import type { FactorRules } from '../scoring/scoring-rules.schema';

/** The factors in the order every scorecard lists them. */
export const CHURN_RISK_FACTORS = [
  'openComplaints',
  'slaBreaches',
  'daysSinceLastContact',
  'satisfactionLevel',
  'satisfactionTrend',
  'overdueInvoices',
  'daysOverdue',
  'renewalApproaching',
  'renewalLost',
] as const;
export type ChurnRiskFactorName = (typeof CHURN_RISK_FACTORS)[number];

/** What the factors measure on one account at one instant. */
export interface HealthMeasurements {
  readonly openComplaintSeverities: readonly Severity[];
  /** Open complaints whose slaDueAt is before the instant. */
  readonly slaBreaches: number;
  readonly daysSinceLastContact: number | null;
  readonly satisfaction: SatisfactionSummary;
  /** Invoices with something outstanding and a due date before today. */
  readonly overdueInvoices: number;
  /** Days the most overdue of them is late; 0 with none. */
  readonly maxDaysOverdue: number;
  /** Days from today to the contract's end; null without a contract. */
  readonly daysUntilRenewal: number | null;
  readonly renewalLost: boolean;
}

/** Every factor, 0 points included, so the scorecard always reads the same way. */
export function churnRiskFactors(measured: HealthMeasurements, rules: FactorRules): ChurnRiskFactor[] {
  return FACTORS.map(([name, valueOf, pointsOf]) => factor(name, valueOf(measured), pointsOf(measured, rules)));
}

/** churnRisk alone: the sum of churnRiskFactors' points, in their order, with no scorecard built. */
export function churnRiskPoints(measured: HealthMeasurements, rules: FactorRules): number {
  let sum = 0;
  for (const [, , pointsOf] of FACTORS) sum += pointsOf(measured, rules);
  return sum;
}

type FactorDefinition = readonly [
  name: ChurnRiskFactorName,
  value: (measured: HealthMeasurements) => number | null,
  points: (measured: HealthMeasurements, rules: FactorRules) => number,
];

/** In CHURN_RISK_FACTORS order: what each factor shows as its value, and the points it adds. */
const FACTORS: readonly FactorDefinition[] = [
  ['openComplaints', (m) => m.openComplaintSeverities.length, (m, rules) => Math.min(complaintPoints(m.openComplaintSeverities, rules), rules.openComplaints.cap)],
  ['slaBreaches', (m) => m.slaBreaches, (m, rules) => perCount(m.slaBreaches, rules.slaBreaches)],
  ['daysSinceLastContact', (m) => m.daysSinceLastContact, (m, rules) => stepPoints(rules.daysSinceLastContact.steps, (step) => (m.daysSinceLastContact ?? -1) >= step.from)],
  ['satisfactionLevel', (m) => m.satisfaction.latest, (m, rules) => levelPoints(m.satisfaction.latest, rules)],
  ['satisfactionTrend', (m) => m.satisfaction.trend, (m, rules) => trendPoints(m.satisfaction.trend, rules)],
  ['overdueInvoices', (m) => m.overdueInvoices, (m, rules) => perCount(m.overdueInvoices, rules.overdueInvoices)],
  ['daysOverdue', (m) => m.maxDaysOverdue, (m, rules) => stepPoints(rules.daysOverdue.steps, (step) => m.maxDaysOverdue >= step.from)],
  ['renewalApproaching', (m) => m.daysUntilRenewal, (m, rules) => renewalApproachingPoints(m, rules.renewalApproaching)],
  ['renewalLost', (m) => (m.renewalLost ? 1 : 0), (m, rules) => (m.renewalLost ? rules.renewalLost.points : 0)],
];

function complaintPoints(severities: readonly Severity[], rules: FactorRules): number {
  let sum = 0;
  for (const severity of severities) sum += rules.openComplaints.pointsPerComplaint[severity];
  return sum;
}

const levelPoints = (latest: number | null, rules: FactorRules) =>
  latest === null ? 0 : stepPoints(rules.satisfactionLevel.steps, (step) => latest < step.below);

const trendPoints = (trend: number | null, rules: FactorRules) =>
  trend === null ? 0 : stepPoints(rules.satisfactionTrend.steps, (step) => trend <= step.atOrBelow);

const factor = (name: ChurnRiskFactorName, value: number | null, points: number): ChurnRiskFactor => ({ name, value, points });

const perCount = (count: number, rule: { readonly pointsEach: number; readonly cap: number }) => Math.min(count * rule.pointsEach, rule.cap);

/** The most points among the steps reached. */
function stepPoints<Step extends { readonly points: number }>(steps: readonly Step[], reached: (step: Step) => boolean): number {
  return steps.reduce((best, step) => (reached(step) && step.points > best ? step.points : best), 0);
}

/**
 * A renewal coming up while nobody has talked to the customer. A lost renewal is its own,
 * heavier factor, so it does not count twice here.
 */
function renewalApproachingPoints(measured: HealthMeasurements, rule: FactorRules['renewalApproaching']): number {
  const days = measured.daysUntilRenewal;
  if (days === null || days < 0 || days > rule.withinDays || measured.renewalLost) return 0;
  const quiet = measured.daysSinceLastContact === null || measured.daysSinceLastContact >= rule.noContactForDays;
  return quiet ? rule.points : 0;
}
