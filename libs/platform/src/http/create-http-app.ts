import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/config.schema';
import type { LoggingOptions } from '../logging/logging.module';
import { startUpLogger } from '../logging/start-up-logger';
import { correlationIdOf, registerCorrelationIdHook } from '../logging/correlation-id.hook';
import { registerRequestLogging } from '../logging/request-logging.hook';
import { createJsonBodyParser } from './json-body.parser';
import { serveOpenApi } from './open-api';
import { registerRateLimit } from './rate-limit';
import { StrictValidationPipe } from './validation.pipe';

/**
 * The one way to build an HTTP process of the engine, used by every app's main.ts and by the
 * API specs, so that what is tested is what runs. The result is initialised but not listening.
 * `rootModule` must import PlatformModule.forRoot. With `startUpLog`, what Nest logs while it
 * builds the application is JSON too (an app's main.ts); without, it is held back and written
 * through the application's logger once there is one.
 */
export async function createHttpApp(rootModule: DynamicModule, config: AppConfig, startUpLog?: LoggingOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.http.bodyLimitBytes, genReqId: correlationIdOf });
  // Before NestFactory.create, which registers middie: the hooks must run ahead of all middleware.
  registerCorrelationIdHook(adapter.getInstance());
  registerRequestLogging(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    ...(startUpLog ? { logger: startUpLogger(startUpLog) } : { bufferLogs: true }),
    // Nest's default aborts the process (core dump, exit 134) when a module fails to start;
    // the caller reports the error and exits 1 instead.
    abortOnError: false,
    // Requests arriving on kept-alive connections while draining get 503 + Connection: close.
    return503OnClosing: true,
  });
  app.useLogger(app.get(Logger));
  // Nest would hold the lines back until init() ends: migrations and DEMO=1 seeding would show only once done.
  app.flushLogs();
  app.useBodyParser('application/json', { bodyLimit: config.http.bodyLimitBytes }, createJsonBodyParser(adapter.getInstance()));
  await registerRateLimit(app, config.rateLimitPerMinute);
  app.useGlobalPipes(new StrictValidationPipe());
  await app.init();
  serveOpenApi(app);
  return app;
}
