import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, MetricsService, type AppConfig } from '@ahe/platform';
import { IMPORT_BODY_LIMIT } from './import-body-limit';
import { IMPORT_METRICS, importMetrics } from './import-metrics';
import { ImportController } from './import.controller';
import { registerNdjsonBodyParser } from './ndjson-body.parser';

/**
 * POST /v1/import (role admin): bulk NDJSON import through `@ahe/import`. Needs the platform's
 * global EVENT_STORE. Register under the `http` role of app.module.ts.
 */
@Module({
  controllers: [ImportController],
  providers: [
    { provide: IMPORT_BODY_LIMIT, inject: [APP_CONFIG], useFactory: (config: AppConfig) => config.importBodyLimitBytes },
    { provide: IMPORT_METRICS, inject: [MetricsService], useFactory: importMetrics },
  ],
})
export class ImportModule implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    registerNdjsonBodyParser(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }
}
