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
  churned: number;
  closed: number;
  revenue_at_risk: number;
  revenue_at_watch: number;
  expected_ltv: number;
  realized_ltv: number;
}

/**
 * Rows without accounts are deleted as they empty; the filter keeps tables written otherwise
 * honest. A generation built before account_health.v6 has no `churned` column and keeps serving
 * until the rebuild that adds it swaps in, so the column is read by name from the row, as 0 there.
 */
export async function portfolioRollups(sql: SqlQueryable, groupBy: PortfolioGroupBy): Promise<PortfolioRollup[]> {
  const { rows } = await sql.query<PortfolioRow>(
    `SELECT * FROM (
       SELECT group_key, currency, accounts, green, amber, red, coalesce((to_jsonb(p) ->> 'churned')::int, 0) AS churned, closed,
         revenue_at_risk::float8 AS revenue_at_risk, revenue_at_watch::float8 AS revenue_at_watch,
         expected_ltv::float8 AS expected_ltv, realized_ltv::float8 AS realized_ltv
       FROM ${PORTFOLIO} AS p WHERE group_by = $1
     ) AS rollups
     WHERE accounts <> 0 OR churned <> 0 OR closed <> 0
     ORDER BY group_key, currency`,
    [groupBy],
  );
  return rows.map((row) => ({
    groupBy,
    key: row.group_key,
    currency: row.currency,
    accounts: row.accounts,
    bands: { green: row.green, amber: row.amber, red: row.red },
    churned: row.churned,
    closed: row.closed,
    revenueAtRisk: row.revenue_at_risk,
    revenueAtWatch: row.revenue_at_watch,
    expectedLtv: row.expected_ltv,
    realizedLtv: row.realized_ltv,
  }));
}
