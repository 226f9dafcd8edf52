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
  const complaintPoints = measured.openComplaintSeverities.reduce((sum, severity) => sum + rules.openComplaints.pointsPerComplaint[severity], 0);
  const { latest, trend } = measured.satisfaction;
  return [
    factor('openComplaints', measured.openComplaintSeverities.length, Math.min(complaintPoints, rules.openComplaints.cap)),
    factor('slaBreaches', measured.slaBreaches, perCount(measured.slaBreaches, rules.slaBreaches)),
    factor('daysSinceLastContact', measured.daysSinceLastContact, stepPoints(rules.daysSinceLastContact.steps, (step) => (measured.daysSinceLastContact ?? -1) >= step.from)),
    factor('satisfactionLevel', latest, latest === null ? 0 : stepPoints(rules.satisfactionLevel.steps, (step) => latest < step.below)),
    factor('satisfactionTrend', trend, trend === null ? 0 : stepPoints(rules.satisfactionTrend.steps, (step) => trend <= step.atOrBelow)),
    factor('overdueInvoices', measured.overdueInvoices, perCount(measured.overdueInvoices, rules.overdueInvoices)),
    factor('daysOverdue', measured.maxDaysOverdue, stepPoints(rules.daysOverdue.steps, (step) => measured.maxDaysOverdue >= step.from)),
    factor('renewalApproaching', measured.daysUntilRenewal, renewalApproachingPoints(measured, rules.renewalApproaching)),
    factor('renewalLost', measured.renewalLost ? 1 : 0, measured.renewalLost ? rules.renewalLost.points : 0),
  ];
}

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
