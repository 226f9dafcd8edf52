import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type AppConfig } from '@ahe/platform';

/**
 * The escalation process manager and its BullMQ workers in server mode. For now the platform
 * only (health, metrics, the store): the escalation modules are imported here as they arrive,
 * and register their Redis readiness check and queue metrics through the platform.
 */
@Module({})
export class EscalationsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EscalationsModule,
      imports: [PlatformModule.forRoot({ app: 'escalations', config })],
    };
  }
}
