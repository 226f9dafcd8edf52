import type { Provider } from '@nestjs/common';
import type { SqlClient } from '@ahe/database';
import { APP_CONFIG, SQL_CLIENT, type AppConfig } from '@ahe/platform';
import { PROJECTION_DEFINITIONS, type ProjectionDefinition } from '@ahe/projections';
import { readModelProjectionsFor, type ScoringRules } from '@ahe/read-models';
import { SCORING_RULES } from '../queries/scoring-rules.module';
import { AdminProjectionCatalogue } from './admin-projection-catalogue';

/**
 * The process's PROJECTION_DEFINITIONS (ProjectionCatalogModule, global) when it runs a projection
 * engine (the embedded store: every projection). Else the read models built here from the same
 * rules and configuration, so names and versions match what the projectors run, and whatever
 * else other processes run, from the bookkeeping tables.
 */
export const adminProjectionCatalogue: Provider = {
  provide: AdminProjectionCatalogue,
  inject: [SQL_CLIENT, APP_CONFIG, SCORING_RULES, { token: PROJECTION_DEFINITIONS, optional: true }],
  useFactory: (sql: SqlClient, config: AppConfig, rules: ScoringRules, ownDefinitions?: readonly ProjectionDefinition[]): AdminProjectionCatalogue =>
    ownDefinitions
      ? new AdminProjectionCatalogue(sql, ownDefinitions, false)
      : new AdminProjectionCatalogue(sql, readModelProjectionsFor(config, rules), true),
};
