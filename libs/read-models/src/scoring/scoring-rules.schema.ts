import { z } from 'zod';

/**
 * The shape of config/scoring-rules.json. Points are integers and every factor is capped, so
 * the factors' points add up to churnRisk exactly: no clamping, no rounding, every point
 * explained. A file whose factors could add up to more than 100 is refused rather than
 * silently clamped.
 */
export const MAX_CHURN_RISK = 100;

/** Ten years of weeks. */
export const MAX_LTV_HORIZON_WEEKS = 520;

const points = () => z.number().int().min(0).max(MAX_CHURN_RISK);

/** Points of the highest step reached; `from` strictly ascending. */
const fromSteps = () =>
  z
    .array(z.strictObject({ from: z.number().int().min(0), points: points() }))
    .superRefine((steps, context) => requireMonotonic(steps, (step) => step.from, 'ascending', 'from', context));

const perCount = () => z.strictObject({ pointsEach: points(), cap: points() });

export const scoringRulesSchema = z
  .strictObject({
    version: z.number().int().min(1),
    description: z.string().optional(),
    factors: z.strictObject({
      openComplaints: z.strictObject({
        pointsPerComplaint: z.strictObject({ low: points(), medium: points(), high: points(), critical: points() }),
        cap: points(),
      }),
      slaBreaches: perCount(),
      daysSinceLastContact: z.strictObject({ steps: fromSteps() }),
      satisfactionLevel: z.strictObject({
        steps: z
          .array(z.strictObject({ below: z.number().min(0).max(100), points: points() }))
          .superRefine((steps, context) => requireMonotonic(steps, (step) => step.below, 'descending', 'below', context)),
      }),
      satisfactionTrend: z.strictObject({
        steps: z
          .array(z.strictObject({ atOrBelow: z.number().max(0), points: points() }))
          .superRefine((steps, context) => requireMonotonic(steps, (step) => step.atOrBelow, 'descending', 'atOrBelow', context)),
      }),
      overdueInvoices: perCount(),
      daysOverdue: z.strictObject({ steps: fromSteps() }),
      renewalApproaching: z.strictObject({
        withinDays: z.number().int().min(0),
        noContactForDays: z.number().int().min(0),
        points: points(),
      }),
      renewalLost: z.strictObject({ points: points() }),
    }),
    bands: z.strictObject({ amber: z.number().int().min(1).max(MAX_CHURN_RISK), red: z.number().int().min(1).max(MAX_CHURN_RISK) }),
    // summarizeSatisfaction's rules; windows within the 400 days of surveys the facts keep.
    satisfaction: z.strictObject({
      meanWindowDays: z.number().int().min(1).max(366),
      trendWindowDays: z.number().int().min(1).max(366),
      flatSlope: z.number().min(0),
    }),
    // expectedLtv's settings. A rate above 0: undiscounted, the sBG residual lifetime diverges for
    // α ≤ 1. The horizon is bounded because each week of it is a ₂F₁ per account scored.
    ltv: z.strictObject({
      discountRate: z.number().gt(0).max(1),
      horizonWeeks: z.number().int().min(1).max(MAX_LTV_HORIZON_WEEKS),
    }),
  })
  .superRefine((rules, context) => {
    if (rules.bands.red <= rules.bands.amber) {
      context.addIssue({ code: 'custom', path: ['bands', 'red'], message: `must be above bands.amber (${rules.bands.amber})` });
    }
    const total = maximumChurnRisk(rules.factors);
    if (total > MAX_CHURN_RISK) {
      context.addIssue({
        code: 'custom',
        path: ['factors'],
        message: `the factors can add up to ${total} points; at most ${MAX_CHURN_RISK} are allowed, so that their points are churnRisk exactly`,
      });
    }
  });

export type ScoringRulesDocument = z.infer<typeof scoringRulesSchema>;
export type FactorRules = ScoringRulesDocument['factors'];

/** The most points each factor can give, summed: the highest churnRisk the rules can produce. */
export function maximumChurnRisk(factors: FactorRules): number {
  const highest = (steps: readonly { readonly points: number }[]) => Math.max(0, ...steps.map((step) => step.points));
  return (
    factors.openComplaints.cap +
    factors.slaBreaches.cap +
    highest(factors.daysSinceLastContact.steps) +
    highest(factors.satisfactionLevel.steps) +
    highest(factors.satisfactionTrend.steps) +
    factors.overdueInvoices.cap +
    highest(factors.daysOverdue.steps) +
    factors.renewalApproaching.points +
    factors.renewalLost.points
  );
}

function requireMonotonic<Step>(
  steps: readonly Step[],
  threshold: (step: Step) => number,
  order: 'ascending' | 'descending',
  field: string,
  context: z.core.$RefinementCtx,
): void {
  for (let index = 1; index < steps.length; index++) {
    const step = threshold(steps[index]!);
    const previous = threshold(steps[index - 1]!);
    if (order === 'ascending' ? step <= previous : step >= previous) {
      context.addIssue({ code: 'custom', path: [index, field], message: `must be strictly ${order} (after ${previous})` });
    }
  }
}
