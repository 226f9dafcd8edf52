import { Module, type DynamicModule } from '@nestjs/common';
import { ESCALATION_PROCESS_MANAGER_DEFINITION, EscalationWorkersModule } from '@ahe/escalations';
import { PlatformModule, type AppConfig } from '@ahe/platform';
import { ProjectionWorkersModule, type ProjectionDefinition } from '@ahe/projections';

/**
 * The escalation process manager and the workers of its queues, in server mode. The process
 * manager is a projection of this process's own engine: several escalations processes share
 * it by advisory lock (one runs it, another takes over when it dies), while every process runs
 * workers, which BullMQ spreads the jobs across.
 */
@Module({})
export class EscalationsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EscalationsModule,
      imports: [
        PlatformModule.forRoot({ app: 'escalations', config }),
        EscalationWorkersModule.forRoot(),
        ProjectionWorkersModule.forRoot({
          inject: [ESCALATION_PROCESS_MANAGER_DEFINITION],
          definitions: (_config: AppConfig, processManager: ProjectionDefinition) => [processManager],
        }),
      ],
    };
  }
}
