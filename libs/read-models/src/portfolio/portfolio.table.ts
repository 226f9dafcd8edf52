import type { ProjectionTable } from '@ahe/projections';
import { perTable } from '../batch-sql';
import type { PortfolioDelta } from './portfolio.deltas';

export const PORTFOLIO = 'portfolio';

/**
 * Rollups per manager and per segment, one row per currency (amounts in different currencies
 * never add up). Kept by deltas in the transaction that writes account_health, so it always
 * equals a GROUP BY over it without the scan.
 */
export const portfolioTable: ProjectionTable = {
  name: PORTFOLIO,
  ddl: (table) => `
    CREATE TABLE ${table} (
      group_by text NOT NULL,
      group_key text NOT NULL,
      currency text NOT NULL,
      accounts integer NOT NULL,
      green integer NOT NULL,
      amber integer NOT NULL,
      red integer NOT NULL,
      churned integer NOT NULL,
      closed integer NOT NULL,
      revenue_at_risk bigint NOT NULL,
      revenue_at_watch bigint NOT NULL,
      expected_ltv bigint NOT NULL,
      realized_ltv bigint NOT NULL,
      CONSTRAINT ${table}_pkey PRIMARY KEY (group_by, group_key, currency),
      CONSTRAINT ${table}_group_by_check CHECK (group_by IN ('manager', 'segment'))
    );
  `,
};

const COUNTS = ['accounts', 'green', 'amber', 'red', 'churned', 'closed', 'revenue_at_risk', 'revenue_at_watch', 'expected_ltv', 'realized_ltv'];

/** One statement for a whole batch of (already summed) deltas; returns the rows left empty. */
export const applyPortfolioDeltasSql = perTable(
  (table) => `INSERT INTO ${table} AS p (group_by, group_key, currency, ${COUNTS.join(', ')})
    SELECT * FROM json_to_recordset($1::json) AS r(group_by text, group_key text, currency text,
      accounts integer, green integer, amber integer, red integer, churned integer, closed integer,
      revenue_at_risk bigint, revenue_at_watch bigint, expected_ltv bigint, realized_ltv bigint)
    ON CONFLICT (group_by, group_key, currency) DO UPDATE SET ${COUNTS.map((count) => `${count} = p.${count} + excluded.${count}`).join(', ')}
    RETURNING group_by, group_key, currency, accounts = 0 AND churned = 0 AND closed = 0 AS empty`,
);

/**
 * A group every account has left (a manager's last account reassigned) is deleted, so the
 * table holds the same rows however the log was batched. Rare: only then a second statement.
 */
export function deleteEmptyPortfolioRowsSql(table: string): string {
  return `DELETE FROM ${table} AS p USING json_to_recordset($1::json) AS r(group_by text, group_key text, currency text)
    WHERE (p.group_by, p.group_key, p.currency) = (r.group_by, r.group_key, r.currency) AND p.accounts = 0 AND p.churned = 0 AND p.closed = 0`;
}

export function portfolioDeltaRow(delta: PortfolioDelta): Record<string, unknown> {
  return {
    group_by: delta.groupBy,
    group_key: delta.groupKey,
    currency: delta.currency,
    accounts: delta.accounts,
    green: delta.green,
    amber: delta.amber,
    red: delta.red,
    churned: delta.churned,
    closed: delta.closed,
    revenue_at_risk: delta.revenueAtRisk,
    revenue_at_watch: delta.revenueAtWatch,
    expected_ltv: delta.expectedLtv,
    realized_ltv: delta.realizedLtv,
  };
}
