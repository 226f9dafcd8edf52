import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { describeFailure } from '@ahe/database';
import { toErrorBody } from './error-body';
import { DATABASE_UNAVAILABLE } from './known-errors';

/** Seconds a client is asked to wait after a 503 for an unavailable database: about one connect timeout. */
const DATABASE_RETRY_AFTER_S = 10;

/**
 * Every HTTP error leaves in the shape of API.md: Nest's HttpExceptions, Fastify's own
 * errors (body too large, malformed JSON, unsupported media type, unknown route) and anything
 * unexpected, which becomes a 500 with a generic message and is logged with its stack. A
 * database that cannot be reached is a 503 with Retry-After, logged as a warning.
 * The domain's and the event store's errors get their 4xx statuses here too (known-errors.ts).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const { body, unexpected } = toErrorBody(exception);
    if (unexpected) {
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`Unhandled ${error.name}: ${error.message}`, error.stack);
    }
    const databaseDown = body.code === DATABASE_UNAVAILABLE;
    // Not the request's fault and not a bug: said once per request, without a stack.
    if (databaseDown) this.logger.warn(`Database unavailable: ${describeFailure(exception)}`);
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    if (httpAdapter.isHeadersSent(response)) {
      // Too late for an error body: cut the response short so the client sees it failed.
      httpAdapter.end(response);
      return;
    }
    if (databaseDown) httpAdapter.setHeader(response, 'Retry-After', String(DATABASE_RETRY_AFTER_S));
    httpAdapter.reply(response, body, body.statusCode);
  }
}
