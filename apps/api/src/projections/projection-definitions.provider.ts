import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ahe/platform';
import { PROJECTION_DEFINITIONS, type ProjectionDefinition } from '@ahe/projections';
import { readModelProjectionsFor, type ScoringRules } from '@ahe/read-models';
import { SCORING_RULES } from '../queries/scoring-rules.module';

/** The catalogue this module reads statuses and requests rebuilds against. */
export const ADMIN_PROJECTION_DEFINITIONS = Symbol('ADMIN_PROJECTION_DEFINITIONS');

/**
 * The process's PROJECTION_DEFINITIONS (ProjectionCatalogModule, global) when it has them; else
 * the same read models built here from the same rules and configuration, so names and versions
 * match what the projectors run.
 */
export const adminProjectionDefinitions: Provider = {
  provide: ADMIN_PROJECTION_DEFINITIONS,
  inject: [APP_CONFIG, SCORING_RULES, { token: PROJECTION_DEFINITIONS, optional: true }],
  useFactory: (config: AppConfig, rules: ScoringRules, catalogue?: readonly ProjectionDefinition[]): readonly ProjectionDefinition[] =>
    catalogue ?? readModelProjectionsFor(config, rules),
};
