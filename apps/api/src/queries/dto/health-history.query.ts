import type { HistoryInterval } from '@ahe/read-models';
import { DayField, EnumField } from '../../accounts/dto/fields';

export const HISTORY_INTERVALS: readonly HistoryInterval[] = ['day', 'week', 'month'];

/** GET /v1/health/:accountId/history */
export class HealthHistoryQueryDto {
  @DayField({ optional: true, description: 'First day, inclusive (a timestamp counts as its UTC day)' })
  readonly from?: string;

  @DayField({ optional: true, description: 'Last day, inclusive; not before from (a timestamp counts as its UTC day)' })
  readonly to?: string;

  @EnumField(HISTORY_INTERVALS, { optional: true, description: 'Bucket of the series; default day' })
  readonly interval?: HistoryInterval;
}
