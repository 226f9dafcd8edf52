import { Module } from '@nestjs/common';
import { DEMO_PORTFOLIO, DemoSeeder } from './demo-seeder.service';
import { APP_CONFIG, type AppConfig } from '@ahe/platform';
import { demoPortfolioFrom } from './demo-options';

/**
 * DEMO=1 seeding of an empty store (libs/demo). Needs the platform's global APP_CONFIG and
 * EVENT_STORE. Register it in the process that owns the store (the api process in embedded
 * mode; any one api process in server mode).
 */
@Module({
  providers: [
    DemoSeeder,
    { provide: DEMO_PORTFOLIO, inject: [APP_CONFIG], useFactory: (config: AppConfig) => demoPortfolioFrom(config, new Date()) },
  ],
})
export class DemoModule {}
