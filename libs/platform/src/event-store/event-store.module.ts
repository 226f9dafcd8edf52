import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { openEventStore, type EventStore } from '@ahe/event-store';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { ReadinessRegistry } from '../health/readiness.registry';
import { MetricsService } from '../metrics/metrics.service';
import { instrumentEventStore } from './instrumented-event-store';
import { describeStore } from './store-description';

/** Injection token of the process's one EventStore: `@Inject(EVENT_STORE) store: EventStore`. */
export const EVENT_STORE = Symbol('EVENT_STORE');

const logger = new Logger('EventStore');

/**
 * Opens the store named by the configuration (PostgreSQL when DATABASE_URL is set, the embedded
 * PGlite store otherwise), makes /health/ready depend on it, and closes it once the HTTP server
 * has drained: onApplicationShutdown runs after Nest has closed the server.
 */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG, MetricsService],
      useFactory: async (config: AppConfig, metrics: MetricsService): Promise<EventStore> => {
        const started = performance.now();
        const store = await openEventStore(
          config.store.kind === 'postgres'
            ? { ...config.store, onError: (error) => logger.error(`PostgreSQL pool: ${error.message}`, error.stack) }
            : config.store,
        );
        logger.log(`Event store open: ${describeStore(config.store)} (${Math.round(performance.now() - started)} ms)`);
        return instrumentEventStore(store, metrics);
      },
    },
  ],
  exports: [EVENT_STORE],
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
