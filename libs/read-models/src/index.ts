/**
 * The read models: projections (pure folds plus one SQL write per table per batch), the
 * churn-risk scorecard and its rules, and the queries the API serves from the tables.
 * At run time imports only events/, libs/domain and itself (see .dependency-cruiser.cjs).
 */
import type { ProjectionDefinition } from '@ahe/projections';
import { accountHealthProjection } from './account-health/account-health.projection';
import { loadScoringRules, type ScoringRules } from './scoring/scoring-rules.loader';
import { satisfactionTrendsProjection } from './satisfaction-trends';
import { ltvModelsProjection } from './ltv';
import { escalationsProjection } from './escalations';

export * from './query.types';

export {
  defaultScoringRulesFile,
  InvalidScoringRulesError,
  loadScoringRules,
  parseScoringRules,
  SCORING_RULES_PATH,
  type ScoringRules,
} from './scoring/scoring-rules.loader';
export { MAX_CHURN_RISK, maximumChurnRisk, scoringRulesSchema, type ScoringRulesDocument } from './scoring/scoring-rules.schema';

export {
  AccountNotOpenedError,
  evolveHealthFacts,
  initialHealthFacts,
  SURVEY_RETENTION,
  type AccountHealthFacts,
  type SampleRetention,
} from './account-health/account-health.facts';
export { bandOf, hasEnded, healthViewAt, scoreAccountHealth, type AccountHealthScore } from './account-health/account-health.score';
export { nextUtcMidnight } from './scoring/utc-calendar';
export { CHURN_RISK_FACTORS, churnRiskFactors, type ChurnRiskFactorName, type HealthMeasurements } from './account-health/churn-risk.factors';
export { accountHealthProjection, type AccountHealthProjectionOptions } from './account-health/account-health.projection';
export { HealthQueries } from './account-health/account-health.queries';
export { InvalidCursorError } from './account-health/health-cursor';
export { ACCOUNT_HEALTH, accountHealthTable } from './account-health/account-health.table';

export { HEALTH_HISTORY, healthHistoryTable } from './health-history/health-history.table';
export { healthHistory } from './health-history/health-history.queries';

export { portfolioDeltas, sumPortfolioDeltas, type PortfolioContribution, type PortfolioDelta } from './portfolio/portfolio.deltas';
export { PORTFOLIO, portfolioTable } from './portfolio/portfolio.table';
export { portfolioRollups } from './portfolio/portfolio.queries';

export {
  DEFAULT_SATISFACTION_STATS_RULES,
  retainSamples,
  summarizeSatisfaction,
  theilSenSlope,
  type SatisfactionSample,
  type SatisfactionStatsRules,
} from './satisfaction/satisfaction-stats';
export { npsCategory, satisfactionPoints, type SurveyKind } from './satisfaction/satisfaction-scale';
export * from './satisfaction-trends';
export * from './ltv';
export * from './backtest';
export * from './as-of';
export * from './escalations';

export interface ReadModelOptions {
  readonly rules: ScoringRules;
  readonly healthRefreshIntervalMs: number;
  readonly ltvRefitIntervalMs: number;
}

/** Every read model the projector keeps, in the order they are started. */
export function readModelProjections(options: ReadModelOptions): ProjectionDefinition[] {
  return [
    accountHealthProjection({ rules: options.rules, refreshIntervalMs: options.healthRefreshIntervalMs }),
    satisfactionTrendsProjection(),
    ltvModelsProjection({ refitIntervalMs: options.ltvRefitIntervalMs }),
    escalationsProjection(),
  ];
}

/** The read models a process runs or serves, from its configuration: one place for apps and CLI. */
export function readModelProjectionsFor(
  settings: {
    readonly projections: { readonly scoringRulesFile: string | undefined; readonly healthRefreshIntervalMs: number; readonly ltvRefitIntervalMs: number };
  },
  rules: ScoringRules = loadScoringRules(settings.projections.scoringRulesFile),
): ProjectionDefinition[] {
  const { healthRefreshIntervalMs, ltvRefitIntervalMs } = settings.projections;
  return readModelProjections({ rules, healthRefreshIntervalMs, ltvRefitIntervalMs });
}
