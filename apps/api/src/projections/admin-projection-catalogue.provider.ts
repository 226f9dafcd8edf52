import type { Provider } from '@nestjs/common';
import type { SqlClient } from '@ahe/database';
import { APP_CONFIG, SQL_CLIENT, type AppConfig } from '@ahe/platform';
import { readModelProjectionsFor, type ScoringRules } from '@ahe/read-models';
import { SCORING_RULES } from '../queries/scoring-rules.module';
import { AdminProjectionCatalogue } from './admin-projection-catalogue';

/**
 * The read models built here from the same rules and configuration as the projectors', so that
 * names and versions match what they run, in every mode: the all-in-one process's projection
 * engine keeps its definitions to its own module.
 */
export const adminProjectionCatalogue: Provider = {
  provide: AdminProjectionCatalogue,
  inject: [SQL_CLIENT, APP_CONFIG, SCORING_RULES],
  useFactory: (sql: SqlClient, config: AppConfig, rules: ScoringRules): AdminProjectionCatalogue =>
    new AdminProjectionCatalogue(sql, readModelProjectionsFor(config, rules)),
};
