import type { SqlQueryable } from '@ahe/database';
import type { ProjectionContext, RefreshStep } from '@ahe/projections';
import { readLtvModels, type LtvModels } from '../ltv';
import type { PortfolioDelta } from '../portfolio/portfolio.deltas';
import { portfolioDeltas } from '../portfolio/portfolio.deltas';
import { PORTFOLIO } from '../portfolio/portfolio.table';
import type { ScoringRules } from '../scoring/scoring-rules.loader';
import { accountHealthRow, contributionOf, CONTRIBUTION_COLUMNS, rescoreAccountHealthSql, rescoreParameters, type AccountHealthRow, type ContributionColumns } from './account-health.rows';
import { factsOfStored, type StoredHealthFacts } from './account-health.facts';
import { scoreAccountHealth } from './account-health.score';
import { ACCOUNT_HEALTH } from './account-health.table';
import { writePortfolioDeltas } from './account-health.writes';

/** Rows re-scored per step (a transaction each): bounded memory, and a short transaction, however many rows fall due at midnight. */
export const REFRESH_CHUNK = 250;

/** Where the next step resumes: the due rows, or the walk of open rows on another fit, after `after`. */
type RefreshCursor = { readonly pass: 'due' } | { readonly pass: 'fit'; readonly fitId: string | null; readonly after: string };

/**
 * One step of the refresh (ProjectionRefresh: each step in a transaction of its own, batches in
 * between): re-scores at most `chunk` rows of those whose time-based values are due
 * (rescore_at <= now), then of the open ones scored with another LTV fit than the current one,
 * and moves the portfolio with them. Each re-scored row gets a rescore_at after now and the
 * current fit, so neither pass sees it again. Churned and closed rows expect nothing whatever
 * the fit (their ltv_fit is null), so a refit leaves them alone.
 *
 * Two passes, each walking an index: the due rows in rescore_at order, then the open rows on
 * another fit in account order, keyset-paged across steps. (One query with OR could use neither
 * index for both halves: after a refit it sorted every open row again for each chunk, 0.8 s per
 * 1,000 rows at 100,000 accounts.) The second pass still reads every open row, about a second at
 * 100,000 accounts, so it is skipped while `settled` knows every row is on the current fit. A
 * walk that sees the fit change, or a batch score rows with another fit behind its cursor,
 * starts again from the first account.
 */
export async function refreshAccountHealth(
  rules: ScoringRules, context: ProjectionContext, settled: SettledFits, cursor?: unknown, chunk: number = REFRESH_CHUNK,
): Promise<RefreshStep> {
  const table = context.table(ACCOUNT_HEALTH);
  const models = await readLtvModels(context.tx);
  const fitId = models?.fitId ?? null;
  const at = cursor as RefreshCursor | undefined;
  if (at === undefined || at.pass === 'due') {
    const rows = await selectChunk(context, `WHERE rescore_at <= $1 ORDER BY rescore_at, account_id`, [context.now.toISOString()], chunk);
    const changed = await rescore(rules, context, models, rows);
    if (rows.length === chunk) return { changed, next: { pass: 'due' } satisfies RefreshCursor };
    if (await settled.holds(context.tx, table, fitId)) return { changed };
    settled.startWalk(table, fitId);
    return { changed, next: { pass: 'fit', fitId, after: '' } satisfies RefreshCursor };
  }
  let after = at.after;
  if (at.fitId !== fitId || !settled.walkUndisturbed(table, fitId)) {
    settled.startWalk(table, fitId);
    after = '';
  }
  const rows = await selectChunk(context, `WHERE status = 'open' AND ltv_fit IS DISTINCT FROM $1::text AND account_id > $2 ORDER BY account_id`, [fitId, after], chunk);
  const changed = await rescore(rules, context, models, rows);
  if (rows.length === chunk) return { changed, next: { pass: 'fit', fitId, after: rows[rows.length - 1]!.account_id } satisfies RefreshCursor };
  await settled.record(context.tx, table, fitId);
  return { changed };
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
  /** Walks under way, per table: the fit they bring rows to, and whether a batch has scored a row with another since they began. */
  private readonly walks = new Map<string, { readonly fitId: string | null; disturbed: boolean }>();

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

  /** The second pass brought every open row of `table` to `fitId`, the last of its steps in transaction `tx`. */
  async record(tx: SqlQueryable, table: string, fitId: string | null): Promise<void> {
    this.walks.delete(table);
    const { rows } = await tx.query<{ xact: string; oid: string }>(`SELECT pg_current_xact_id()::text AS xact, to_regclass($1)::oid::text AS oid`, [table]);
    this.tables.set(table, { fitId, oid: rows[0]!.oid, xact: rows[0]!.xact });
  }

  /** A second pass over `table` begins, bringing its open rows to `fitId` over several steps. */
  startWalk(table: string, fitId: string | null): void {
    this.walks.set(table, { fitId, disturbed: false });
  }

  /** Whether the walk of `table` toward `fitId` is under way and no batch has scored a row with another fit since it began. */
  walkUndisturbed(table: string, fitId: string | null): boolean {
    const walk = this.walks.get(table);
    return walk !== undefined && walk.fitId === fitId && !walk.disturbed;
  }

  /** A batch wrote rows of `table` scored with `fitId`. */
  scoredWith(table: string, fitId: string | null): void {
    if (this.tables.get(table)?.fitId !== fitId) this.tables.delete(table);
    const walk = this.walks.get(table);
    if (walk !== undefined && walk.fitId !== fitId) walk.disturbed = true;
  }
}

type StoredRow = ContributionColumns & { facts: StoredHealthFacts; account_id: string };

async function selectChunk(context: ProjectionContext, where: string, params: unknown[], chunk: number): Promise<StoredRow[]> {
  const { rows } = await context.tx.query<StoredRow>(
    `SELECT account_id, facts, ${CONTRIBUTION_COLUMNS} FROM ${context.table(ACCOUNT_HEALTH)} ${where} LIMIT ${chunk}`,
    params,
  );
  return rows;
}

async function rescore(rules: ScoringRules, context: ProjectionContext, models: LtvModels | null, rows: readonly StoredRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const scored: AccountHealthRow[] = [];
  const deltas: PortfolioDelta[] = [];
  for (const stored of rows) {
    const facts = factsOfStored(stored.facts);
    const row = accountHealthRow(facts, scoreAccountHealth(facts, rules, context.now, models));
    scored.push(row);
    deltas.push(...portfolioDeltas(contributionOf(stored), contributionOf(row)));
  }
  await context.tx.query(rescoreAccountHealthSql(context.table(ACCOUNT_HEALTH)), rescoreParameters(scored));
  await writePortfolioDeltas(context.tx, context.table(PORTFOLIO), deltas);
  return rows.length;
}
