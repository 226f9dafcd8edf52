import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type AppConfig } from '@ahe/platform';

/**
 * The projection workers of server mode, on their own process so they scale apart from the
 * API. For now the platform only (health, metrics, the store): the projection modules are
 * imported here as they arrive; several such processes will share the work through
 * PostgreSQL advisory locks.
 */
@Module({})
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [PlatformModule.forRoot({ app: 'projector', config })],
    };
  }
}
