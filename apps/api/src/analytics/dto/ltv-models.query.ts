import type { TimeAxis } from '@ahe/read-models';
import { AsOfField, AxisField } from './analytics-query-fields';

/** GET /v1/ltv/models */
export class LtvModelsQueryDto {
  @AsOfField('Fit on the history as of this instant; without it, the fit the ltv_models read model holds')
  readonly asOf?: string;

  @AxisField()
  readonly axis?: TimeAxis;
}
