import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './auth/api-key.guard';
import type { DestinationStream } from 'pino';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/config.schema';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { DatabaseModule } from './database/database.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';

export interface PlatformOptions {
  /** Process name (api, projector, escalations), on every log line. */
  readonly app: string;
  readonly config: AppConfig;
  /** Log destination; standard output unless a test captures the lines. */
  readonly logStream?: DestinationStream;
}

/**
 * What every process of the engine runs on: configuration, JSON logs with correlation ids,
 * /metrics, /health/live and /health/ready, the database and the event store on it, API keys
 * and roles, idempotency keys, and the API's error shape. Its providers are global
 * (APP_CONFIG, SQL_CLIENT, EVENT_STORE, MetricsService, ReadinessRegistry, IdempotencyService), so
 * feature modules inject them without importing anything.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(options.config),
        LoggingModule.forRoot({ app: options.app, level: options.config.logLevel, stream: options.logStream }),
        MetricsModule,
        HealthModule,
        // Before every user of the SqlClient: global modules shut down in reverse order.
        DatabaseModule,
        EventStoreModule,
        IdempotencyModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
    };
  }
}
