import { Injectable, ServiceUnavailableException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import { isSqlError } from '@ahe/database';

/** PostgreSQL's undefined_table: the read model's view does not exist in this database yet. */
const UNDEFINED_TABLE = '42P01';

/**
 * In server mode the api process serves queries but a projector creates the read models: until
 * one has run against this database, the views are missing. That is a 503 to retry, not a 500.
 */
@Injectable()
export class ReadModelUnavailableInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!isSqlError(error, UNDEFINED_TABLE)) throw error;
        throw new ServiceUnavailableException({
          message: 'The read models are not built yet: start a projector (apps/projector) on this database and retry',
          code: 'READ_MODEL_UNAVAILABLE',
        });
      }),
    );
  }
}
