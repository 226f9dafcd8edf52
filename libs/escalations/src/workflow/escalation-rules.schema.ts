import { SEVERITIES } from '@ahe/events';
import { z } from 'zod';

/**
 * The shape of config/escalation-rules.json: one section per rule, each with an `enabled`
 * switch, so a team can turn a rule off without a deploy of code. Strict objects: a misspelt
 * key is refused rather than silently ignored, which would leave a rule at a default nobody chose.
 */

/** Ten years: a window wider than that is a typo, not a policy. */
export const MAX_ESCALATION_AGE_DAYS = 3650;

const enabled = z.boolean();

export const escalationRulesSchema = z.strictObject({
  version: z.number().int().min(1),
  description: z.string().optional(),
  /** A rule fires only if its condition arose at most this many days before now. */
  maxAgeDays: z.number().int().min(1).max(MAX_ESCALATION_AGE_DAYS),
  criticalComplaint: z.strictObject({
    enabled,
    severities: z
      .array(z.enum(SEVERITIES))
      .min(1)
      .refine((severities) => new Set(severities).size === severities.length, { error: 'must not repeat a severity' }),
  }),
  complaintSla: z.strictObject({ enabled }),
  invoiceOverdue: z.strictObject({
    enabled,
    /** Counted from 00:00 UTC of dueOn. */
    daysAfterDue: z.number().int().min(0).max(MAX_ESCALATION_AGE_DAYS),
  }),
  bandRed: z.strictObject({ enabled }),
  satisfactionDrop: z.strictObject({
    enabled,
    /** NPS scores at or below this are detractors (the NPS convention is 6). */
    npsDetractorMax: z.number().int().min(0).max(10),
    /** Points of the 0–100 scale per 30 days, as the health read model's trend; a drop, so negative. */
    trendBelow: z.number().lt(0),
  }),
});

export type EscalationRulesDocument = z.infer<typeof escalationRulesSchema>;
