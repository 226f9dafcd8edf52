import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { SqlClient } from '@ahe/database';
import { eventStoreOn, openEventStoreDb, type EventStore } from '@ahe/event-store';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { SQL_CLIENT } from '../database/sql-client.token';
import { ReadinessRegistry } from '../health/readiness.registry';
import { MetricsService } from '../metrics/metrics.service';
import { readingCurrentVersions } from './current-version-reads';
import { instrumentEventStore } from './instrumented-event-store';
import { describeStore } from './store-description';

/**
 * Injection token of the process's one EventStore: `@Inject(EVENT_STORE) store: EventStore`. Its
 * reads give every event at its current schema version (readingCurrentVersions).
 */
export const EVENT_STORE = Symbol('EVENT_STORE');

/** The same store reading events as they were stored, old schema versions included: for the audit routes that show them. */
export const STORED_EVENT_STORE = Symbol('STORED_EVENT_STORE');

const logger = new Logger('EventStore');

/** The SQL store's word that a page of the log was read as rows (SqlEventStoreOptions): counted and logged. */
function pageReadAsRowsReport(metrics: MetricsService): (error: unknown) => void {
  const pages = metrics.counter({
    name: 'ahe_log_pages_read_as_rows_total',
    help: 'Pages of the global log the embedded store read as rows because reading them as one document failed',
  });
  return (error) => {
    pages.inc();
    logger.warn(`Reading a page of the log as one document failed, so it was read as rows: ${error instanceof Error ? error.message : String(error)}`);
  };
}

/**
 * The store on the process's SqlClient (PostgreSQL when DATABASE_URL is set, the embedded
 * PGlite store otherwise) or, with EVENTSTORE_CONNECTION_STRING, on EventStoreDB; makes
 * /health/ready depend on it, and closes it once the HTTP server
 * has drained: onApplicationShutdown runs after Nest has closed the server. The SqlClient
 * itself belongs to DatabaseModule, which closes it after this.
 */
@Global()
@Module({
  providers: [
    { provide: EVENT_STORE, inject: [STORED_EVENT_STORE], useFactory: readingCurrentVersions },
    {
      provide: STORED_EVENT_STORE,
      inject: [APP_CONFIG, SQL_CLIENT, MetricsService],
      useFactory: async (config: AppConfig, sql: SqlClient, metrics: MetricsService): Promise<EventStore> => {
        const started = performance.now();
        const store = config.eventStoreDb
          ? await openEventStoreDb(config.eventStoreDb)
          : await eventStoreOn(sql, sql.kind === 'embedded' ? { onPageReadAsRows: pageReadAsRowsReport(metrics) } : {});
        const where = config.eventStoreDb ? 'EventStoreDB' : describeStore(config.store);
        logger.log(`Event store open: ${where} (${Math.round(performance.now() - started)} ms)`);
        return instrumentEventStore(store, metrics);
      },
    },
  ],
  exports: [EVENT_STORE, STORED_EVENT_STORE],
})
export class EventStoreModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('eventStore', () => this.store.ping());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    logger.log('Event store closed');
  }
}
