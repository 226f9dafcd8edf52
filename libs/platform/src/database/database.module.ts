import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { openDatabase, type SqlClient } from '@ahe/database';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { EmbeddedVacuumService } from './embedded-vacuum.service';
import { SQL_CLIENT } from './sql-client.token';

const logger = new Logger('Database');

/**
 * Opens the database named by the configuration, and on the embedded store runs its vacuum.
 * Listed before every module that uses it, so that Nest, which shuts global modules down in
 * reverse order, closes it last.
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
            : { ...config.store, onWarning: (message) => logger.warn(message) },
        ),
    },
    EmbeddedVacuumService,
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
