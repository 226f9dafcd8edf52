import { Module } from '@nestjs/common';
import type { SqlClient } from '@ahe/database';
import { SQL_CLIENT } from '@ahe/platform';
import { HealthQueries, type ScoringRules } from '@ahe/read-models';
import { HealthController } from './health.controller';
import { PortfolioController } from './portfolio.controller';
import { SatisfactionTrendsController } from './satisfaction-trends.controller';
import { SCORING_RULES, ScoringRulesModule } from './scoring-rules.module';

/** API.md "Queries" (role analyst): health rows, their history, satisfaction trends and portfolio rollups. */
@Module({
  imports: [ScoringRulesModule],
  controllers: [HealthController, SatisfactionTrendsController, PortfolioController],
  providers: [
    {
      provide: HealthQueries,
      inject: [SQL_CLIENT, SCORING_RULES],
      useFactory: (sql: SqlClient, rules: ScoringRules) => new HealthQueries(sql, rules),
    },
  ],
  exports: [HealthQueries, ScoringRulesModule],
})
export class QueriesModule {}
