import type { TimeAxis } from '@ahe/read-models';
import { QueryNumberField } from '../../queries/dto/query-fields';
import { AsOfField, AxisField } from './analytics-query-fields';

export const DEFAULT_HORIZON_DAYS = 90;
/** Three years: past that, the accounts scored are mostly gone for reasons no score at asOf could see. */
export const MAX_HORIZON_DAYS = 1_095;

/** GET /v1/analytics/backtest */
export class BacktestQueryDto {
  @AsOfField('Score the accounts as of this instant; default the UTC midnight at or before now − horizonDays; asOf + horizonDays must not be after now')
  readonly asOf?: string;

  @QueryNumberField({ min: 1, max: MAX_HORIZON_DAYS, integer: true, default: DEFAULT_HORIZON_DAYS, description: 'Days after asOf in which churn is observed' })
  readonly horizonDays?: number;

  @AxisField()
  readonly axis?: TimeAxis;
}
