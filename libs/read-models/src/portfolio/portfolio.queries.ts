import type { SqlQueryable } from '@ahe/database';
import type { PortfolioGroupBy, PortfolioRollup } from '../query.types';
import { PORTFOLIO } from './portfolio.table';

interface PortfolioRow {
  group_key: string;
  currency: string;
  accounts: number;
  green: number;
  amber: number;
  red: number;
  closed: number;
  revenue_at_risk: number;
  revenue_at_watch: number;
  expected_ltv: number;
  realized_ltv: number;
}

/** Rows without accounts are deleted as they empty; the filter keeps tables written otherwise honest. */
export async function portfolioRollups(sql: SqlQueryable, groupBy: PortfolioGroupBy): Promise<PortfolioRollup[]> {
  const { rows } = await sql.query<PortfolioRow>(
    `SELECT group_key, currency, accounts, green, amber, red, closed,
       revenue_at_risk::float8 AS revenue_at_risk, revenue_at_watch::float8 AS revenue_at_watch,
       expected_ltv::float8 AS expected_ltv, realized_ltv::float8 AS realized_ltv
     FROM ${PORTFOLIO} WHERE group_by = $1 AND (accounts <> 0 OR closed <> 0)
     ORDER BY group_key, currency`,
    [groupBy],
  );
  return rows.map((row) => ({
    groupBy,
    key: row.group_key,
    currency: row.currency,
    accounts: row.accounts,
    bands: { green: row.green, amber: row.amber, red: row.red },
    closed: row.closed,
    revenueAtRisk: row.revenue_at_risk,
    revenueAtWatch: row.revenue_at_watch,
    expectedLtv: row.expected_ltv,
    realizedLtv: row.realized_ltv,
  }));
}
