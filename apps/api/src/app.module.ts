import { Module, type DynamicModule, type ForwardReference, type Type } from '@nestjs/common';
import { BullBoardModule, ESCALATION_PROCESS_MANAGER_DEFINITION, EscalationWorkersModule } from '@ahe/escalations';
import { PlatformModule, type AppConfig, type PlatformOptions } from '@ahe/platform';
import type { ProjectionDefinition } from '@ahe/projections';
import { ProjectionWorkersModule } from '@ahe/projections';
import { readModelProjectionsFor, type ScoringRules } from '@ahe/read-models';
import { AccountsModule } from './accounts/accounts.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { AsOfModule } from './audit/as-of/as-of.module';
import { AuditModule } from './audit/audit.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DemoModule } from './demo/demo.module';
import { EscalationsApiModule } from './escalations/escalations-api.module';
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
function modulesOf(role: AppRole, roles: readonly AppRole[]): readonly ModuleImport[] {
  switch (role) {
    case 'http':
      return [AccountsModule, ImportModule, DemoModule, ScoringRulesModule, QueriesModule, AsOfModule, AnalyticsModule, ProjectionsAdminModule, EscalationsApiModule, BullBoardModule, AuditModule, DashboardModule];
    case 'projections':
      return [ScoringRulesModule, projectionWorkers(roles.includes('escalations'))];
    case 'escalations':
      return [EscalationWorkersModule.forRoot()];
  }
}

/** One projection engine per process: with the escalations role, it runs the escalation process manager too. */
function projectionWorkers(withEscalations: boolean): DynamicModule {
  if (!withEscalations) {
    return ProjectionWorkersModule.forRoot({
      inject: [SCORING_RULES],
      definitions: (config: AppConfig, rules: ScoringRules) => readModelProjectionsFor(config, rules),
    });
  }
  return ProjectionWorkersModule.forRoot({
    inject: [SCORING_RULES, ESCALATION_PROCESS_MANAGER_DEFINITION],
    definitions: (config: AppConfig, rules: ScoringRules, processManager: ProjectionDefinition) => [
      ...readModelProjectionsFor(config, rules),
      processManager,
    ],
  });
}

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
        ...new Set(roles.flatMap((role) => modulesOf(role, roles))),
      ],
    };
  }
}
