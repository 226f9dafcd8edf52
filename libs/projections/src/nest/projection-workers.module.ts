import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { SqlClient } from '@ahe/database';
import type { EventStore } from '@ahe/event-store';
import { APP_CONFIG, EVENT_STORE, MetricsService, SQL_CLIENT, type AppConfig } from '@ahe/platform';
import type { ProjectionLogger } from '../engine/engine-options';
import { ProjectionEngine } from '../engine/projection-engine';
import type { ProjectionDefinition } from '../projection.definition';
import { definitionsProvider, PROJECTION_DEFINITIONS, type ProjectionModuleOptions } from './projection-definitions.provider';
import { prometheusProjectionMetrics } from './projection-metrics';
import { ProjectionWorkers } from './projection-workers.service';

function nestLogger(): ProjectionLogger {
  const logger = new Logger('Projections');
  const entry = (message: string, context?: object) => (context ? { msg: message, ...context } : message);
  return {
    log: (message, context) => logger.log(entry(message, context)),
    warn: (message, context) => logger.warn(entry(message, context)),
    error: (message, context) => logger.error(entry(message, context)),
  };
}

/**
 * Runs the projection engine in this process (apps/projector, or the all-in-one api process
 * on the embedded store) on the platform's SqlClient and EventStore. Exports the engine and
 * PROJECTION_DEFINITIONS.
 */
@Module({})
export class ProjectionWorkersModule {
  static forRoot(options: ProjectionModuleOptions): DynamicModule {
    return {
      module: ProjectionWorkersModule,
      providers: [
        definitionsProvider(options),
        {
          provide: ProjectionEngine,
          inject: [SQL_CLIENT, EVENT_STORE, PROJECTION_DEFINITIONS, APP_CONFIG, MetricsService],
          useFactory: (sql: SqlClient, store: EventStore, definitions: readonly ProjectionDefinition[], config: AppConfig, metrics: MetricsService) =>
            new ProjectionEngine({
              sql,
              store,
              definitions,
              batchSize: config.projections.batchSize,
              lockRetryMs: config.projections.lockRetryMs,
              logger: nestLogger(),
              metrics: prometheusProjectionMetrics(metrics),
            }),
        },
        ProjectionWorkers,
      ],
      exports: [ProjectionEngine, PROJECTION_DEFINITIONS],
    };
  }
}
