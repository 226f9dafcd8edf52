export {
  assertPortfolioOptions,
  CHURN_MODES,
  DEFAULT_ENDS_AT,
  DEFAULT_SEED,
  generatePortfolio,
  portfolioNdjson,
  type DemoLine,
  type PortfolioOptions,
} from './portfolio.generator';
export { seedPortfolio, storeIsEmpty } from './portfolio.seeder';
export { observeSignals, renewalLossProbability, type RenewalSignals } from './renewal-signals';
export { SEGMENTS, type SegmentName } from './demo-catalogue';
export type { ChurnMode } from './account-life';
export { SeededRandom } from './seeded-random';
