import type { HistoryInterval } from '@ahe/read-models';
import { DateField, EnumField } from '../../accounts/dto/fields';

export const HISTORY_INTERVALS: readonly HistoryInterval[] = ['day', 'week', 'month'];

/** GET /v1/health/:accountId/history */
export class HealthHistoryQueryDto {
  @DateField({ optional: true, description: 'First day, inclusive' })
  readonly from?: string;

  @DateField({ optional: true, description: 'Last day, inclusive; not before from' })
  readonly to?: string;

  @EnumField(HISTORY_INTERVALS, { optional: true, description: 'Bucket of the series; default day' })
  readonly interval?: HistoryInterval;
}
