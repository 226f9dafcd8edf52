import { SURVEY_KINDS, TEXT_LIMITS, type SurveyKind } from '@ahe/events';
import { CommandDto } from './command.dto';
import { EnumField, NumberField, TextField } from './fields';

/** POST /v1/accounts/:accountId/surveys */
export class RecordSurveyDto extends CommandDto {
  @EnumField(SURVEY_KINDS)
  readonly kind!: SurveyKind;

  @NumberField({ min: 0, max: 10, integer: true }, { description: 'csat: 1–5; nps: 0–10' })
  readonly score!: number;

  @TextField(TEXT_LIMITS.longText, { optional: true, allowBlank: true })
  readonly comment?: string;
}
