import { ApiPropertyOptional } from '@nestjs/swagger';
import type { AccountHealthAsOf, TimeAxis } from '@ahe/read-models';
import { TIME_AXES } from '../../analytics/dto/analytics-query-fields';
import { AccountHealthViewDto } from './health-view.dto';

/** GET /v1/health/:accountId: the live row, or with asOf the row replayed as of that instant (extra fields). */
export class AccountHealthAsOfViewDto extends AccountHealthViewDto implements Partial<AccountHealthAsOf> {
  @ApiPropertyOptional({ format: 'date-time', description: 'With asOf: the instant replayed up to' }) readonly asOf?: string;
  @ApiPropertyOptional({ enum: TIME_AXES, description: 'With asOf: the time axis replayed on' }) readonly axis?: TimeAxis;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'With asOf: fitId of the LTV models fitted on the log as of asOf that ltv.expected used; null for a churned or closed account',
  })
  readonly ltvFit?: string | null;
}
