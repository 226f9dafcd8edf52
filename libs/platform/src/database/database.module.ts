import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { openDatabase, type SqlClient } from '@ahe/database';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';

/**
 * Injection token of the process's one SqlClient: `@Inject(SQL_CLIENT) sql: SqlClient`. The
 * event store, read models and the idempotency table share it (PGlite allows one instance).
 */
export const SQL_CLIENT = Symbol('SQL_CLIENT');

const logger = new Logger('Database');

/**
 * Opens the database named by the configuration. Listed before every module that uses it, so
 * that Nest, which shuts global modules down in reverse order, closes it last.
 */
@Global()
@Module({
  providers: [
    {
      provide: SQL_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<SqlClient> =>
        openDatabase(
          config.store.kind === 'postgres'
            ? { ...config.store, onError: (error) => logger.error(`PostgreSQL pool: ${error.message}`, error.stack) }
            : config.store,
        ),
    },
  ],
  exports: [SQL_CLIENT],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
    logger.log('Database closed');
  }
}
