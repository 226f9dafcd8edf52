export { satisfactionTrendsProjection } from './satisfaction-trends.projection';
export { npsScore, satisfactionTrends } from './satisfaction-trends.queries';
export {
  SATISFACTION_TREND_ACCOUNTS,
  SATISFACTION_TRENDS,
  SATISFACTION_TRENDS_TABLES,
  satisfactionTrendAccountsTable,
  satisfactionTrendsTable,
} from './satisfaction-trends.table';
export { TrendAccountNotOpenedError } from './satisfaction-trends.evolve';
