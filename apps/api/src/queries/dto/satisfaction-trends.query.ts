import { TEXT_LIMITS } from '@ahe/events';
import type { TrendGroupBy, TrendInterval } from '@ahe/read-models';
import { DayField, EnumField, TextField } from '../../accounts/dto/fields';

export const TREND_GROUPINGS: readonly TrendGroupBy[] = ['account', 'segment', 'manager'];
export const TREND_INTERVALS: readonly TrendInterval[] = ['week', 'month'];

/** GET /v1/satisfaction/trends */
export class SatisfactionTrendsQueryDto {
  @EnumField(TREND_GROUPINGS, { optional: true, description: 'default segment' })
  readonly groupBy?: TrendGroupBy;

  @EnumField(TREND_INTERVALS, { optional: true, description: 'default month' })
  readonly interval?: TrendInterval;

  @TextField(TEXT_LIMITS.label, { optional: true, description: 'Only this account id, segment or manager id', example: 'enterprise' })
  readonly key?: string;

  @DayField({ optional: true, description: 'Periods starting on or after this day (a timestamp counts as its UTC day)' })
  readonly from?: string;

  @DayField({ optional: true, description: 'Periods starting on or before this day (a timestamp counts as its UTC day)' })
  readonly to?: string;
}
