import { TEXT_LIMITS } from '@ahe/events';
import type { TrendGroupBy, TrendInterval } from '@ahe/read-models';
import { DateField, EnumField, TextField } from '../../accounts/dto/fields';

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

  @DateField({ optional: true, description: 'Periods starting on or after this day' })
  readonly from?: string;

  @DateField({ optional: true, description: 'Periods starting on or before this day' })
  readonly to?: string;
}
