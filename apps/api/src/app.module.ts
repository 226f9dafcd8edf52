import { Module, type DynamicModule, type ForwardReference, type Type } from '@nestjs/common';
import { PlatformModule, type AppConfig, type PlatformOptions } from '@ahe/platform';
import { ProjectionWorkersModule } from '@ahe/projections';
import { readModelProjectionsFor, type ScoringRules } from '@ahe/read-models';
import { AccountsModule } from './accounts/accounts.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { DemoModule } from './demo/demo.module';
import { ImportModule } from './import/import.module';
import { ProjectionsAdminModule } from './projections/projections-admin.module';
import { QueriesModule } from './queries/queries.module';
import { SCORING_RULES, ScoringRulesModule } from './queries/scoring-rules.module';

type ModuleImport = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

/**
 * What a process of this app does. The embedded store is single-process, so there the api
 * process takes every role; in server mode it serves HTTP only and apps/projector and
 * apps/escalations take the others.
 */
export type AppRole = 'http' | 'projections' | 'escalations';

/**
 * The seam for features: each lists its Nest module under the role that runs it (commands and
 * queries under `http`, projection workers under `projections`, the escalation process
 * manager and BullMQ workers under `escalations`).
 */
const MODULES_BY_ROLE: Readonly<Record<AppRole, readonly ModuleImport[]>> = {
  http: [AccountsModule, ImportModule, DemoModule, ScoringRulesModule, QueriesModule, AnalyticsModule, ProjectionsAdminModule],
  projections: [
    ScoringRulesModule,
    ProjectionWorkersModule.forRoot({
      inject: [SCORING_RULES],
      definitions: (config: AppConfig, rules: ScoringRules) => readModelProjectionsFor(config, rules),
    }),
  ],
  escalations: [],
};

export function rolesFor(config: AppConfig): readonly AppRole[] {
  return config.store.kind === 'embedded' ? ['http', 'projections', 'escalations'] : ['http'];
}

export interface AppModuleOptions {
  readonly config: AppConfig;
  readonly roles: readonly AppRole[];
  readonly logStream?: PlatformOptions['logStream'];
}

@Module({})
export class AppModule {
  static forRoot({ config, roles, logStream }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ app: 'api', config, logStream }),
        ...new Set(roles.flatMap((role) => MODULES_BY_ROLE[role])),
      ],
    };
  }
}
