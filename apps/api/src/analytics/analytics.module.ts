import { Module } from '@nestjs/common';
import { AsOfModule } from '../audit/as-of/as-of.module';
import { ScoringRulesModule } from '../queries/scoring-rules.module';
import { BacktestController } from './backtest.controller';
import { LtvModelsController } from './ltv-models.controller';

/**
 * API.md "Analytics" (role analyst): the LTV fits and the churn-score backtest. The as-of fits come
 * from AsOfModule's in-memory index of the log; the backtest replays the whole log in this process
 * with the projection's own folds (docs/api.md on their cost).
 */
@Module({
  imports: [ScoringRulesModule, AsOfModule],
  controllers: [LtvModelsController, BacktestController],
})
export class AnalyticsModule {}
