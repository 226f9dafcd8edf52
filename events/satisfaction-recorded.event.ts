import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { freeText, TEXT_LIMITS } from './shared/fields';

/** A survey answer: CSAT (1–5) or NPS (0–10). */
export const SATISFACTION_RECORDED = 'SatisfactionRecorded';
export const SATISFACTION_RECORDED_SCHEMA_VERSION = 1;

export const SURVEY_KINDS = ['csat', 'nps'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export const SCORE_RANGES: Readonly<Record<SurveyKind, { readonly min: number; readonly max: number }>> =
  Object.freeze({
    csat: Object.freeze({ min: 1, max: 5 }),
    nps: Object.freeze({ min: 0, max: 10 }),
  });

export const satisfactionRecordedSchema = z
  .strictObject({
    kind: z.enum(SURVEY_KINDS),
    score: z.number().int().describe('csat: 1–5; nps: 0–10'),
    comment: freeText(TEXT_LIMITS.longText).optional(),
  })
  .superRefine(({ kind, score }, context) => {
    const { min, max } = SCORE_RANGES[kind];
    if (score < min || score > max) {
      context.addIssue({
        code: 'custom',
        path: ['score'],
        message: `must be between ${min} and ${max} when kind is ${kind}`,
      });
    }
  });

export type SatisfactionRecorded = z.infer<typeof satisfactionRecordedSchema>;

export const satisfactionRecordedEvent = defineEvent({
  type: SATISFACTION_RECORDED,
  schemaVersion: SATISFACTION_RECORDED_SCHEMA_VERSION,
  schema: satisfactionRecordedSchema,
  upcasters: {},
});
