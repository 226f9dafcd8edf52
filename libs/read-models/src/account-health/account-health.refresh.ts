import type { SqlQueryable } from '@ahe/database';
import type { ProjectionContext } from '@ahe/projections';
import { readLtvModels, type LtvModels } from '../ltv';
import type { PortfolioDelta } from '../portfolio/portfolio.deltas';
import { portfolioDeltas } from '../portfolio/portfolio.deltas';
import { PORTFOLIO } from '../portfolio/portfolio.table';
import type { ScoringRules } from '../scoring/scoring-rules.loader';
import { accountHealthRow, contributionOf, CONTRIBUTION_COLUMNS, rescoreAccountHealthSql, type ContributionColumns } from './account-health.rows';
import type { AccountHealthFacts } from './account-health.facts';
import { scoreAccountHealth } from './account-health.score';
import { ACCOUNT_HEALTH } from './account-health.table';
import { writePortfolioDeltas } from './account-health.writes';

/** Rows re-scored per round trip: bounded memory however many rows fall due at midnight. */
export const REFRESH_CHUNK = 1_000;

/**
 * Re-scores every row whose time-based values are due (rescore_at <= now), and every open one
 * scored with another LTV fit than the current one, and moves the portfolio with them. Each
 * re-scored row gets a rescore_at after now and the current fit, so neither pass sees it again.
 * Closed rows expect nothing whatever the fit (their ltv_fit is null), so a refit leaves them
 * alone.
 *
 * Two passes, each walking an index once: the due rows in rescore_at order, then the open rows
 * on another fit in account order, keyset-paged. (One query with OR could use neither index for
 * both halves: after a refit it sorted every open row again for each chunk, 0.8 s per 1,000
 * rows at 100,000 accounts.) The second pass still reads every open row, about a second at
 * 100,000 accounts, so it is skipped while `settled` knows every row is on the current fit.
 */
export async function refreshAccountHealth(rules: ScoringRules, context: ProjectionContext, settled: SettledFits): Promise<number> {
  const table = context.table(ACCOUNT_HEALTH);
  const models = await readLtvModels(context.tx);
  const fitId = models?.fitId ?? null;
  let refreshed = 0;
  for (;;) {
    const rows = await selectChunk(context, `WHERE rescore_at <= $1 ORDER BY rescore_at, account_id`, [context.now.toISOString()]);
    refreshed += await rescore(rules, context, models, rows);
    if (rows.length < REFRESH_CHUNK) break;
  }
  if (await settled.holds(context.tx, table, fitId)) return refreshed;
  let after = '';
  for (;;) {
    const rows = await selectChunk(context, `WHERE status = 'open' AND ltv_fit IS DISTINCT FROM $1::text AND account_id > $2 ORDER BY account_id`, [fitId, after]);
    refreshed += await rescore(rules, context, models, rows);
    if (rows.length < REFRESH_CHUNK) break;
    after = rows[rows.length - 1]!.account_id;
  }
  await settled.record(context.tx, table, fitId);
  return refreshed;
}

/**
 * Per physical table (so per generation), the fit the last complete second pass brought every
 * open row to. Every row written since is scored with the fit current then (by a batch or the
 * first pass), so while that stays the same fit no row can be on another; a batch scored with
 * another fit forgets the table. A table is known by its name and its oid: one dropped and made
 * again under the same name (a generation's tables recreated, replay --verify's scratch copies)
 * is walked again. A restarted process, or a generation swapped in, starts with nothing settled:
 * its first refresh walks the rows. A pass counts once its transaction is seen committed: until
 * then the next refresh asks PostgreSQL, and walks again if it was not. Rows written behind the
 * process's back (another owner in between, by hand) are not seen.
 */
export class SettledFits {
  private readonly tables = new Map<string, { readonly fitId: string | null; readonly oid: string; xact: string | null }>();

  /** Whether every open row of `table` is known to be on fit `fitId`. */
  async holds(tx: SqlQueryable, table: string, fitId: string | null): Promise<boolean> {
    const settled = this.tables.get(table);
    if (settled === undefined || settled.fitId !== fitId) return false;
    // pg_xact_status refuses an id from the future: one only a replaced database could hand back.
    const { rows } = await tx.query<{ oid: string | null; status: string | null }>(
      `SELECT to_regclass($1)::oid::text AS oid,
              CASE WHEN $2::xid8 < pg_snapshot_xmax(pg_current_snapshot()) THEN pg_xact_status($2::xid8) END AS status`,
      [table, settled.xact],
    );
    const row = rows[0];
    if (row?.oid === settled.oid && (settled.xact === null || row.status === 'committed')) {
      settled.xact = null;
      return true;
    }
    this.tables.delete(table);
    return false;
  }

  /** The second pass brought every open row of `table` to `fitId`, in transaction `tx`. */
  async record(tx: SqlQueryable, table: string, fitId: string | null): Promise<void> {
    const { rows } = await tx.query<{ xact: string; oid: string }>(`SELECT pg_current_xact_id()::text AS xact, to_regclass($1)::oid::text AS oid`, [table]);
    this.tables.set(table, { fitId, oid: rows[0]!.oid, xact: rows[0]!.xact });
  }

  /** A batch wrote rows of `table` scored with `fitId`. */
  scoredWith(table: string, fitId: string | null): void {
    if (this.tables.get(table)?.fitId !== fitId) this.tables.delete(table);
  }
}

type StoredRow = ContributionColumns & { facts: AccountHealthFacts; account_id: string };

async function selectChunk(context: ProjectionContext, where: string, params: unknown[]): Promise<StoredRow[]> {
  const { rows } = await context.tx.query<StoredRow>(
    `SELECT account_id, facts, ${CONTRIBUTION_COLUMNS} FROM ${context.table(ACCOUNT_HEALTH)} ${where} LIMIT ${REFRESH_CHUNK}`,
    params,
  );
  return rows;
}

async function rescore(rules: ScoringRules, context: ProjectionContext, models: LtvModels | null, rows: readonly StoredRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const scored: Record<string, unknown>[] = [];
  const deltas: PortfolioDelta[] = [];
  for (const stored of rows) {
    const { facts: _facts, ...row } = accountHealthRow(stored.facts, scoreAccountHealth(stored.facts, rules, context.now, models));
    scored.push(row);
    deltas.push(...portfolioDeltas(contributionOf(stored), contributionOf(row)));
  }
  await context.tx.query(rescoreAccountHealthSql(context.table(ACCOUNT_HEALTH)), [JSON.stringify(scored)]);
  await writePortfolioDeltas(context.tx, context.table(PORTFOLIO), deltas);
  return rows.length;
}
