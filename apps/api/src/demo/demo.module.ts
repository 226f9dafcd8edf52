import { Module } from '@nestjs/common';
import { DEMO_PORTFOLIO, DemoSeeder } from './demo-seeder.service';
import { demoPortfolioFrom } from './demo-options';

/**
 * DEMO=1 seeding of an empty store (libs/demo). Needs the platform's global APP_CONFIG and
 * EVENT_STORE. Register it in the process that owns the store (the api process in embedded
 * mode; any one api process in server mode).
 */
@Module({
  providers: [DemoSeeder, { provide: DEMO_PORTFOLIO, useFactory: () => demoPortfolioFrom(process.env, new Date()) }],
})
export class DemoModule {}
