import { Catch, ServiceUnavailableException, type ArgumentsHost } from '@nestjs/common';
import { isSqlError, UNDEFINED_TABLE } from '@ahe/database';
import { HttpExceptionFilter } from '@ahe/platform';

/**
 * In server mode the api process serves queries but a projector creates the read models: until
 * one has run against this database, the views are missing. That is a 503 to retry, not a 500.
 * Every other error leaves as the global filter sends it. A filter rather than an interceptor:
 * it costs a request nothing until something fails, where an interceptor puts the handler's
 * result through rxjs on every call (Observables, subscribers and Nest's disconnect watch, about
 * a third of what a `GET /v1/health/:id` allocated).
 */
@Catch()
export class ReadModelUnavailableFilter extends HttpExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(
      isSqlError(exception, UNDEFINED_TABLE)
        ? new ServiceUnavailableException({
            message: 'The read models are not built yet: start a projector (apps/projector) on this database and retry',
            code: 'READ_MODEL_UNAVAILABLE',
          })
        : exception,
      host,
    );
  }
}
