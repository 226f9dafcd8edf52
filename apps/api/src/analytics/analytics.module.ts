import { Module } from '@nestjs/common';
import { MetricsService } from '@ahe/platform';
import { AsOfModule } from '../audit/as-of/as-of.module';
import { ScoringRulesModule } from '../queries/scoring-rules.module';
import { BacktestAnswers } from './backtest-answers';
import { BACKTEST_METRICS, backtestMetrics } from './backtest-metrics';
import { BacktestReplayer } from './backtest-replayer';
import { BacktestController } from './backtest.controller';
import { LtvModelsController } from './ltv-models.controller';

/**
 * API.md "Analytics" (role analyst): the LTV fits and the churn-score backtest. The as-of fits come
 * from AsOfModule's in-memory index of the log; the backtest replays the whole log in this process
 * with the projection's own folds, one replay per question while the log does not change its
 * answer, and a bounded number at once (BacktestAnswers; docs/api.md on their cost).
 */
@Module({
  imports: [ScoringRulesModule, AsOfModule],
  controllers: [LtvModelsController, BacktestController],
  providers: [BacktestReplayer, BacktestAnswers, { provide: BACKTEST_METRICS, inject: [MetricsService], useFactory: backtestMetrics }],
})
export class AnalyticsModule {}
