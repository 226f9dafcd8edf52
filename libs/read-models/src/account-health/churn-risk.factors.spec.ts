import { loadScoringRules } from '../scoring/scoring-rules.loader';
import { CHURN_RISK_FACTORS, churnRiskFactors, type HealthMeasurements } from './churn-risk.factors';

const rules = loadScoringRules().factors;

const calm: HealthMeasurements = {
  openComplaintSeverities: [],
  slaBreaches: 0,
  daysSinceLastContact: 3,
  satisfaction: { latest: 80, mean90d: 80, trend: 0, arrow: 'flat' },
  overdueInvoices: 0,
  maxDaysOverdue: 0,
  daysUntilRenewal: 300,
  renewalLost: false,
};

const pointsOf = (measured: Partial<HealthMeasurements>, name: (typeof CHURN_RISK_FACTORS)[number]) =>
  churnRiskFactors({ ...calm, ...measured }, rules).find((factor) => factor.name === name)!.points;

describe('churnRiskFactors', () => {
  it('lists every factor, in a fixed order, with 0 points for a calm account', () => {
    const factors = churnRiskFactors(calm, rules);
    expect(factors.map((factor) => factor.name)).toEqual([...CHURN_RISK_FACTORS]);
    expect(factors.every((factor) => factor.points === 0)).toBe(true);
  });

  it('adds points per open complaint by severity, up to the cap', () => {
    const { low, medium, critical } = rules.openComplaints.pointsPerComplaint;
    expect(pointsOf({ openComplaintSeverities: ['low', 'medium'] }, 'openComplaints')).toBe(low + medium);
    const many = Array.from({ length: 20 }, () => 'critical' as const);
    expect(pointsOf({ openComplaintSeverities: many }, 'openComplaints')).toBe(Math.min(20 * critical, rules.openComplaints.cap));
    expect(pointsOf({ openComplaintSeverities: many }, 'openComplaints')).toBe(rules.openComplaints.cap);
  });

  it('counts SLA breaches and overdue invoices up to their caps', () => {
    expect(pointsOf({ slaBreaches: 1 }, 'slaBreaches')).toBe(rules.slaBreaches.pointsEach);
    expect(pointsOf({ slaBreaches: 99 }, 'slaBreaches')).toBe(rules.slaBreaches.cap);
    expect(pointsOf({ overdueInvoices: 1 }, 'overdueInvoices')).toBe(rules.overdueInvoices.pointsEach);
    expect(pointsOf({ overdueInvoices: 99 }, 'overdueInvoices')).toBe(rules.overdueInvoices.cap);
  });

  it.each(['daysSinceLastContact', 'daysOverdue'] as const)('%s takes the points of the highest step reached, from its threshold on', (name) => {
    const measure = (days: number): Partial<HealthMeasurements> => (name === 'daysOverdue' ? { maxDaysOverdue: days } : { daysSinceLastContact: days });
    let previous = 0;
    for (const step of rules[name].steps) {
      expect(pointsOf(measure(step.from - 1), name)).toBe(previous);
      expect(pointsOf(measure(step.from), name)).toBe(step.points);
      expect(pointsOf(measure(step.from + 1), name)).toBe(step.points);
      previous = step.points;
    }
  });

  it('scores a satisfaction level below each threshold and nothing without a survey', () => {
    let previous = 0;
    for (const step of rules.satisfactionLevel.steps) {
      const at = (latest: number) => pointsOf({ satisfaction: { ...calm.satisfaction, latest } }, 'satisfactionLevel');
      expect(at(step.below)).toBe(previous);
      expect(at(step.below - 0.01)).toBe(step.points);
      previous = step.points;
    }
    expect(pointsOf({ satisfaction: { latest: null, mean90d: null, trend: null, arrow: 'flat' } }, 'satisfactionLevel')).toBe(0);
  });

  it('scores a falling trend at or below each threshold', () => {
    let previous = 0;
    for (const step of rules.satisfactionTrend.steps) {
      const at = (trend: number) => pointsOf({ satisfaction: { ...calm.satisfaction, trend } }, 'satisfactionTrend');
      expect(at(step.atOrBelow + 0.01)).toBe(previous);
      expect(at(step.atOrBelow)).toBe(step.points);
      previous = step.points;
    }
  });

  it('flags a renewal within its window only when nobody has been in touch, and never twice with a lost renewal', () => {
    const { withinDays, noContactForDays, points } = rules.renewalApproaching;
    const quiet = { daysSinceLastContact: noContactForDays };
    expect(pointsOf({ ...quiet, daysUntilRenewal: withinDays }, 'renewalApproaching')).toBe(points);
    expect(pointsOf({ ...quiet, daysUntilRenewal: 0 }, 'renewalApproaching')).toBe(points);
    expect(pointsOf({ ...quiet, daysUntilRenewal: withinDays + 1 }, 'renewalApproaching')).toBe(0);
    expect(pointsOf({ ...quiet, daysUntilRenewal: -1 }, 'renewalApproaching')).toBe(0);
    expect(pointsOf({ daysSinceLastContact: noContactForDays - 1, daysUntilRenewal: 10 }, 'renewalApproaching')).toBe(0);
    expect(pointsOf({ ...quiet, daysUntilRenewal: null }, 'renewalApproaching')).toBe(0);
    expect(pointsOf({ ...quiet, daysUntilRenewal: 10, renewalLost: true }, 'renewalApproaching')).toBe(0);
    expect(pointsOf({ renewalLost: true }, 'renewalLost')).toBe(rules.renewalLost.points);
  });
});
