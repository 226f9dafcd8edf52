import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type AppConfig } from '@ahe/platform';
import { ProjectionWorkersModule } from '@ahe/projections';
import { readModelProjectionsFor } from '@ahe/read-models';

/**
 * The projection workers of server mode, on their own process so they scale apart from the
 * API. Several such processes share the projections: each is run by the process holding its
 * PostgreSQL advisory lock, and another takes over when that process dies.
 */
@Module({})
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        PlatformModule.forRoot({ app: 'projector', config }),
        ProjectionWorkersModule.forRoot({
          definitions: (config) => readModelProjectionsFor(config),
        }),
      ],
    };
  }
}
