import type { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { Level, Logger } from 'pino';

/** The shape of nestjs-pino's per-request context: its PinoLogger logs through `logger`. */
interface LogContext {
  logger: Logger;
  responseLogger?: Logger;
}

/**
 * nestjs-pino keeps the logger of the request being served in an AsyncLocalStorage of its own,
 * which its package does not export (version pinned in package.json). Failing here, at start,
 * is what a change of that file would do.
 */
function nestjsPinoContext(): AsyncLocalStorage<LogContext> {
  const { storage } = require(join(dirname(require.resolve('nestjs-pino')), 'storage.js')) as { storage?: AsyncLocalStorage<LogContext> };
  if (typeof storage?.run !== 'function') throw new Error('nestjs-pino no longer has dist/cjs/storage.js: the request logging must be rewired');
  return storage;
}

const pinoContext = nestjsPinoContext();

function requestLevel(res: ServerResponse, error?: Error): Level {
  if (error || res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

/**
 * The request's logger, bound to the request (`req`, redacted) and its correlation id at the
 * top level, made on first use: serialising the request costs about as much as the rest of
 * the logging, and with LOG_LEVEL above info a request that logs nothing never needs it.
 */
class RequestLogContext implements LogContext {
  private bound?: Logger;
  private assigned?: Logger;
  responseLogger?: Logger;

  constructor(
    private readonly root: Logger,
    private readonly raw: IncomingMessage,
    private readonly correlationId: string,
  ) {}

  requestLogger(): Logger {
    return (this.bound ??= this.root.child({ req: this.raw }).child({ correlationId: this.correlationId }));
  }

  /** What Nest's Logger and PinoLogger log through; PinoLogger.assign() replaces it. */
  get logger(): Logger {
    return this.assigned ?? this.requestLogger();
  }

  set logger(logger: Logger) {
    this.assigned = logger;
  }
}

/**
 * One line per request once its response has been sent or cut short: `METHOD path status`,
 * with `req`, `res`, `responseTime` and the correlation id (the line pino-http wrote, without
 * its middleware). An onRequest hook added ahead of every other, so 404s, 413s and 429s are
 * logged too, and every Nest `Logger` call made while serving the request carries its id.
 */
export function registerRequestLogging(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const root = PinoLogger.root as Logger | undefined;
    if (root === undefined) return done();
    const raw = request.raw as IncomingMessage & { query?: unknown };
    const res = reply.raw;
    // Serialised with `req` (as pino-http saw it after middie); the address is read now, while
    // the socket is open (it is kept on the socket for its later requests).
    raw.query = request.query;
    void raw.socket?.remoteAddress;
    const context = new RequestLogContext(root, raw, request.id);
    const started = Date.now();
    const onEnd = () => {
      res.removeListener('close', onEnd);
      res.removeListener('finish', onEnd);
      const level = requestLevel(res);
      if (!root.isLevelEnabled(level)) return;
      const responseTime = Date.now() - started;
      const line = `${raw.method} ${raw.url} ${res.statusCode}`;
      if (level === 'error') context.requestLogger().error({ res, responseTime }, `${line} failed`);
      else context.requestLogger()[level]({ res, responseTime }, line);
    };
    res.on('close', onEnd);
    res.on('finish', onEnd);
    pinoContext.run(context, done);
  });
}
