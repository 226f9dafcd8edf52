import type { SqlQueryable } from '@ahe/database';
import { perTable, perTablePair, statementName } from '../batch-sql';
import { HEALTH_HISTORY_PARAMETERS, healthHistoryColumns, insertHealthHistorySql, type HealthHistoryRow } from '../health-history/health-history.table';
import { sumPortfolioDeltas, type PortfolioDelta } from '../portfolio/portfolio.deltas';
import { applyPortfolioDeltasSql, deleteEmptyPortfolioRowsSql, portfolioDeltaRow } from '../portfolio/portfolio.table';
import { factsOfStored, type FoldingHealthFacts, type StoredHealthFacts } from './account-health.facts';
import { ACCOUNT_HEALTH_PARAMETERS, accountHealthParameters, CONTRIBUTION_COLUMNS, upsertAccountHealthSql, type AccountHealthRow, type ContributionColumns } from './account-health.rows';

export interface StoredHealth {
  readonly facts: FoldingHealthFacts;
  /** What the account adds to the portfolio now, as stored. */
  readonly row: ContributionColumns;
}

const loadStoredHealthSql = perTable((table) => `SELECT account_id, facts, ${CONTRIBUTION_COLUMNS} FROM ${table} WHERE account_id = ANY($1::text[])`);

/** The stored facts of the touched accounts, in one query. */
export async function loadStoredHealth(tx: SqlQueryable, table: string, accountIds: readonly string[]): Promise<Map<string, StoredHealth>> {
  const { rows } = await tx.query<ContributionColumns & { account_id: string; facts: StoredHealthFacts }>(loadStoredHealthSql(table), [accountIds], statementName('load', table));
  return new Map(rows.map((row) => [row.account_id, { facts: factsOfStored(row.facts), row }]));
}

/** What one statement writes to account_health and health_history (writeHealth). */
export interface HealthWrites {
  readonly rows: readonly AccountHealthRow[];
  /** History rows of accounts without stored facts, which cannot have history yet: plain inserts. */
  readonly newHistory: readonly HealthHistoryRow[];
  /** History rows of the other accounts, each replacing its day's row if there is one. */
  readonly replacingHistory: readonly HealthHistoryRow[];
}

/**
 * The accounts' rows (upsert), their new history rows (insert) and the rest of their history
 * rows (upsert) as one statement of data-modifying CTEs: one round trip, so a batch written in
 * parts has one statement in flight a part (see applyBatch), not three queued behind each other.
 */
const writeHealthSql = perTablePair((health: string, history: string) => {
  const newHistoryFirst = 1 + ACCOUNT_HEALTH_PARAMETERS;
  return `WITH health AS (${upsertAccountHealthSql(health)}),
    new_history AS (${insertHealthHistorySql(history, false, newHistoryFirst)}),
    replacing_history AS (${insertHealthHistorySql(history, true, newHistoryFirst + HEALTH_HISTORY_PARAMETERS)})
    SELECT 1`;
});

export async function writeHealth(tx: SqlQueryable, tables: { readonly health: string; readonly history: string }, writes: HealthWrites): Promise<void> {
  if (writes.rows.length === 0 && writes.newHistory.length === 0 && writes.replacingHistory.length === 0) return;
  const parameters = [...accountHealthParameters(writes.rows), ...healthHistoryColumns(writes.newHistory), ...healthHistoryColumns(writes.replacingHistory)];
  await tx.query(writeHealthSql(tables.health, tables.history), parameters, statementName('write', tables.health));
}

export async function writePortfolioDeltas(tx: SqlQueryable, table: string, deltas: Iterable<PortfolioDelta>): Promise<void> {
  const rows = sumPortfolioDeltas(deltas).map(portfolioDeltaRow);
  if (rows.length === 0) return;
  const written = await tx.query<{ group_by: string; group_key: string; currency: string; empty: boolean }>(applyPortfolioDeltasSql(table), [JSON.stringify(rows)], statementName('deltas', table));
  const empty = written.rows.filter((row) => row.empty).map(({ group_by, group_key, currency }) => ({ group_by, group_key, currency }));
  if (empty.length > 0) await tx.query(deleteEmptyPortfolioRowsSql(table), [JSON.stringify(empty)]);
}
