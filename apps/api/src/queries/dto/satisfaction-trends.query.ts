import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, ValidateIf } from 'class-validator';
import { TEXT_LIMITS } from '@ahe/events';
import type { TrendGroupBy, TrendInterval } from '@ahe/read-models';
import { DayField, EnumField, TextField } from '../../accounts/dto/fields';
import { MAX_PAGE_SIZE } from './query-fields';
import { QueryTextNumberField } from './query-text-number.field';

export const TREND_GROUPINGS: readonly TrendGroupBy[] = ['account', 'segment', 'manager'];
export const TREND_INTERVALS: readonly TrendInterval[] = ['week', 'month'];
/** The largest page, so that one key's series over decades (what the dashboard asks for) comes in one page. */
export const DEFAULT_TREND_PAGE_SIZE = MAX_PAGE_SIZE;

/** GET /v1/satisfaction/trends; numbers as the query's text (QueryTextNumberField). */
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

  @QueryTextNumberField({ min: 1, max: MAX_PAGE_SIZE, integer: true, default: DEFAULT_TREND_PAGE_SIZE, description: 'Points a page' })
  readonly limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, with the same groupBy and interval' })
  @ValidateIf((_query: object, value: unknown) => value !== undefined)
  @IsString()
  @MaxLength(2_048)
  readonly cursor?: string;
}
