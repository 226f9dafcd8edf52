import { hostname } from 'node:os';
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { destination, stdTimeFunctions, type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { LogLevel } from '../config/config.schema';

export interface LoggingOptions {
  /** Process name on every line (api, projector, escalations): one log stream can hold all three. */
  readonly app: string;
  readonly level: LogLevel;
  /** Where lines go; standard output unless a test captures them. */
  readonly stream?: DestinationStream;
}

/**
 * Standard output, written synchronously. pino's default writes asynchronously and flushes
 * at exit, but a chunk still in flight then is lost: under load, the shutdown's last lines
 * (and the exit code) went missing. A log line costs microseconds either way.
 */
export const standardOutput = (): DestinationStream => destination({ dest: process.stdout.fd ?? 1, sync: true });

/** Headers that carry credentials; the API keys arrive as `Authorization: Bearer …`. */
const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'];

/**
 * Options of the root logger, which nestjs-pino builds through pino-http (that adds the `req`,
 * `res` and `err` serializers). pino-http's middleware is not mounted (`forRoutes: []`): the
 * Fastify hook of request-logging.hook.ts writes the request line and binds the request's
 * logger, without Nest's middleware layer and without serialising a request nothing logs.
 */
export function rootLoggerOptions(options: LoggingOptions): Options {
  return {
    level: options.level,
    base: { app: options.app, pid: process.pid, hostname: hostname() },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}

/**
 * JSON logs through nestjs-pino. In an HTTP process (createHttpApp) one line per request with
 * its correlation id, and every Nest `Logger` call made while serving a request carries it too.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    const pinoHttp = [rootLoggerOptions(options), options.stream ?? standardOutput()] as const;
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: pinoHttp as Options | [Options, DestinationStream], forRoutes: [] })],
    };
  }
}
