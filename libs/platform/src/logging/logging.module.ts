import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { destination, stdTimeFunctions, type DestinationStream, type Level } from 'pino';
import type { Options } from 'pino-http';
import type { LogLevel } from '../config/config.schema';
import { correlationIdOf } from './correlation-id.hook';

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
const standardOutput = (): DestinationStream => destination({ dest: process.stdout.fd ?? 1, sync: true });

/** Headers that carry credentials; the API keys arrive as `Authorization: Bearer …`. */
const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'];

function requestLevel(_req: IncomingMessage, res: ServerResponse, error?: Error): Level {
  if (error || res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

/** Middie rewrites `url` for the middleware it runs; `originalUrl` is what the client asked for. */
function pathOf(req: IncomingMessage & { originalUrl?: string }): string | undefined {
  return req.originalUrl ?? req.url;
}

/**
 * nestjs-pino 5.2's default route, `{/*splat}`, matches nothing under platform-fastify 12.5:
 * with it no request is logged at all. `{*splat}` matches every path, unknown ones included.
 */
const EVERY_ROUTE = [{ path: '{*splat}', method: RequestMethod.ALL }];

function pinoHttpOptions(options: LoggingOptions): Options {
  return {
    level: options.level,
    base: { app: options.app, pid: process.pid, hostname: hostname() },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // pino-http reuses the raw request's `id`, set by the correlation hook; this covers a
    // request that reached the middleware some other way.
    genReqId: (req) => correlationIdOf(req),
    // Bound to the request's child logger: the request line and every Nest Logger call made
    // while serving it carry the id at the top level, where log queries look for it.
    customProps: (req) => ({ correlationId: req.id }),
    customLogLevel: requestLevel,
    // pino-http invents an Error for every 5xx; the exception filter has logged the real one.
    customErrorObject: (_req, _res, _error, value: Record<string, unknown>) => ({ ...value, err: undefined }),
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req)} ${res.statusCode} failed`,
  };
}

/**
 * JSON logs through nestjs-pino: one line per request (with its correlation id), and every
 * Nest `Logger` call made while serving a request carries that request's id too.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    const pinoHttp = [pinoHttpOptions(options), options.stream ?? standardOutput()] as const;
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: pinoHttp as Options | [Options, DestinationStream], forRoutes: EVERY_ROUTE })],
    };
  }
}
