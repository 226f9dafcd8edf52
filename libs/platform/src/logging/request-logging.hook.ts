import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { Level, Logger } from 'pino';
import { requestContext, type RequestContext } from './request-context';

function requestLevel(res: ServerResponse, error?: Error): Level {
  if (error || res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

/**
 * The request's logger, bound to the request (`req`, redacted) and its correlation id at the
 * top level, made on first use: serialising the request costs about as much as the rest of
 * the logging, and with LOG_LEVEL above info a request that logs nothing never needs it.
 */
class RequestLogContext implements RequestContext {
  private bound?: Logger;
  private assigned?: Logger;
  responseLogger?: Logger;

  constructor(
    private readonly root: Logger,
    private readonly raw: IncomingMessage,
    readonly correlationId: string,
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
 * its middleware). An onRequest hook added ahead of every other but the correlation id's, so
 * 404s, 413s and 429s are logged too; the rest of the request runs in its context (see
 * request-context.ts), so every Nest `Logger` call made while serving it carries its id, and
 * currentCorrelationId() answers it.
 */
export function registerRequestLogging(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const root = PinoLogger.root as Logger | undefined;
    const raw = request.raw as IncomingMessage & { query?: unknown };
    if (root === undefined) return requestContext.run({ correlationId: request.id } as RequestContext, done);
    const res = reply.raw;
    // Serialised with `req` (as pino-http saw it after middie); the address is read now, while
    // the socket is open (it is kept on the socket for its later requests).
    raw.query = request.query;
    void raw.socket?.remoteAddress;
    const context = new RequestLogContext(root, raw, request.id);
    const started = Date.now();
    // 'finish' and 'close', the first removing both. A streamed reply (an export) is awaited by
    // Nest several times while it streams, and each await of Fastify's thenable reply leaves
    // two close listeners: with this pair its response peaked at 10 close listeners, with one
    // 'close' listener alone at 11 (MaxListenersExceededWarning in test/api/audit/export.*).
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
    requestContext.run(context, done);
  });
}
