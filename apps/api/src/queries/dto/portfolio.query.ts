import type { PortfolioGroupBy } from '@ahe/read-models';
import { EnumField } from '../../accounts/dto/fields';

export const PORTFOLIO_GROUPINGS: readonly PortfolioGroupBy[] = ['manager', 'segment'];

/** GET /v1/portfolio */
export class PortfolioQueryDto {
  @EnumField(PORTFOLIO_GROUPINGS, { optional: true, description: 'default manager' })
  readonly groupBy?: PortfolioGroupBy;
}
