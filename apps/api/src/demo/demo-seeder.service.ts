import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { seedPortfolio, storeIsEmpty, type PortfolioOptions } from '@ahe/demo';
import { ImportConflictError, InvalidImportLineError } from '@ahe/import';
import type { EventStore } from '@ahe/event-store';
import { APP_CONFIG, EVENT_STORE, type AppConfig } from '@ahe/platform';

/** Injection token of the portfolio to seed; tests override it with a small one. */
export const DEMO_PORTFOLIO = Symbol('DEMO_PORTFOLIO');

/**
 * With DEMO=1 and an empty store, seeds a synthetic portfolio before the server listens, so
 * a first `npm start` shows a populated dashboard. A store that holds events is never touched.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DEMO_PORTFOLIO) private readonly portfolio: PortfolioOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demo) return;
    if (!(await storeIsEmpty(this.store))) {
      this.logger.log('DEMO is set, but the store already holds events: not seeding');
      return;
    }
    const { accounts, years, seed, endsAt } = this.portfolio;
    this.logger.log(`DEMO is set and the store is empty: seeding ${accounts} accounts × ${years} years (seed ${seed}, ending ${endsAt})…`);
    const started = performance.now();
    let result;
    try {
      result = await seedPortfolio(this.store, this.portfolio);
    } catch (error) {
      // Two api processes started together on one empty PostgreSQL: the other one seeds.
      const raced = error instanceof ImportConflictError || (error instanceof InvalidImportLineError && error.code === 'ACCOUNT_ALREADY_EXISTS');
      if (!raced) throw error;
      this.logger.warn(`Demo seeding skipped: another process is seeding the same store (${error.message})`);
      return;
    }
    const seconds = (performance.now() - started) / 1000;
    this.logger.log(
      `Demo portfolio seeded: ${result.events} events of ${result.accounts} accounts in ${seconds.toFixed(1)} s ` +
        `(${Math.round(result.events / Math.max(seconds, 0.001))} events/s)`,
    );
  }
}
