import type { AsOfInstant, TimeAxis } from '@ahe/read-models';
import { AsOfField, AxisField, pastInstant } from '../../../analytics/dto/analytics-query-fields';

export const DEFAULT_AXIS: TimeAxis = 'occurred';

/** GET /v1/accounts/:accountId/state and the as-of form of GET /v1/health/:accountId. */
export class AsOfQueryDto {
  @AsOfField('The instant to replay the account up to: a date YYYY-MM-DD (its UTC midnight) or a UTC timestamp; not in the future')
  readonly asOf?: string;

  @AxisField()
  readonly axis?: TimeAxis;
}

/** The validated query as an instant on an axis; asOf defaults to now, axis to occurred. A future asOf is a 400 naming it. */
export function asOfInstantOf(query: AsOfQueryDto, now: Date): AsOfInstant {
  return { at: query.asOf === undefined ? now : pastInstant(query.asOf, now), axis: query.axis ?? DEFAULT_AXIS };
}
