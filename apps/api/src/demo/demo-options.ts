import type { PortfolioOptions } from '@ahe/demo';
import type { AppConfig } from '@ahe/platform';

/**
 * The portfolio DEMO=1 seeds (DEMO_ACCOUNTS, DEMO_YEARS, DEMO_SEED), ending at the start of
 * the current UTC day so that the dashboards show recent activity.
 */
export function demoPortfolioFrom(config: AppConfig, now: Date): PortfolioOptions {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return { ...config.demoPortfolio, endsAt: today.toISOString() };
}
