import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { toErrorBody } from './error-body';

/**
 * Every HTTP error leaves in the shape of API.md: Nest's HttpExceptions, Fastify's own
 * errors (body too large, malformed JSON, unsupported media type, unknown route) and anything
 * unexpected, which becomes a 500 with a generic message and is logged with its stack.
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
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    if (httpAdapter.isHeadersSent(response)) {
      // Too late for an error body: cut the response short so the client sees it failed.
      httpAdapter.end(response);
      return;
    }
    httpAdapter.reply(response, body, body.statusCode);
  }
}
