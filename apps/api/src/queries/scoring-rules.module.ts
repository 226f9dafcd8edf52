import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ahe/platform';
import { loadScoringRules, type ScoringRules } from '@ahe/read-models';

/** Injection token of the churn-risk scoring rules in force: `@Inject(SCORING_RULES) rules: ScoringRules`. */
export const SCORING_RULES = Symbol('SCORING_RULES');

/**
 * The rules of SCORING_RULES_FILE (else the shipped ones), read once at start: queries re-score
 * time-based factors with the same rules the projection wrote the rows with. A bad file stops
 * the process at start rather than failing every query. Global, so that a projection
 * catalogue's factory (PROJECTION_DEFINITIONS) can inject the same rules.
 */
@Global()
@Module({
  providers: [
    {
      provide: SCORING_RULES,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ScoringRules => loadScoringRules(config.projections.scoringRulesFile),
    },
  ],
  exports: [SCORING_RULES],
})
export class ScoringRulesModule {}
