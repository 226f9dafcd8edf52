import type { SqlQueryable } from '@ahe/database';
import { perTable, statementName } from '../batch-sql';
import { sumPortfolioDeltas, type PortfolioDelta } from '../portfolio/portfolio.deltas';
import { applyPortfolioDeltasSql, deleteEmptyPortfolioRowsSql, portfolioDeltaRow } from '../portfolio/portfolio.table';
import type { AccountHealthFacts } from './account-health.facts';
import { accountHealthParameters, CONTRIBUTION_COLUMNS, upsertAccountHealthSql, type AccountHealthRow, type ContributionColumns } from './account-health.rows';

export interface StoredHealth {
  readonly facts: AccountHealthFacts;
  /** What the account adds to the portfolio now, as stored. */
  readonly row: ContributionColumns;
}

const loadStoredHealthSql = perTable((table) => `SELECT account_id, facts, ${CONTRIBUTION_COLUMNS} FROM ${table} WHERE account_id = ANY($1::text[])`);

/** The stored facts of the touched accounts, in one query. */
export async function loadStoredHealth(tx: SqlQueryable, table: string, accountIds: readonly string[]): Promise<Map<string, StoredHealth>> {
  const { rows } = await tx.query<ContributionColumns & { account_id: string; facts: AccountHealthFacts }>(loadStoredHealthSql(table), [accountIds], statementName('load', table));
  return new Map(rows.map((row) => [row.account_id, { facts: row.facts, row }]));
}

export async function writeAccountHealth(tx: SqlQueryable, table: string, rows: readonly AccountHealthRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(upsertAccountHealthSql(table), accountHealthParameters(rows), statementName('upsert', table));
}

export async function writePortfolioDeltas(tx: SqlQueryable, table: string, deltas: Iterable<PortfolioDelta>): Promise<void> {
  const rows = sumPortfolioDeltas(deltas).map(portfolioDeltaRow);
  if (rows.length === 0) return;
  const written = await tx.query<{ group_by: string; group_key: string; currency: string; empty: boolean }>(applyPortfolioDeltasSql(table), [JSON.stringify(rows)], statementName('deltas', table));
  const empty = written.rows.filter((row) => row.empty).map(({ group_by, group_key, currency }) => ({ group_by, group_key, currency }));
  if (empty.length > 0) await tx.query(deleteEmptyPortfolioRowsSql(table), [JSON.stringify(empty)]);
}
