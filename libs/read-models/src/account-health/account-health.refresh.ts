import type { ProjectionContext } from '@ahe/projections';
import { readLtvModels } from '../ltv';
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
 * re-scored row gets a rescore_at after now and the current fit, so the loop ends. Closed rows
 * expect nothing whatever the fit (their ltv_fit is null), so a refit leaves them alone.
 */
export async function refreshAccountHealth(rules: ScoringRules, context: ProjectionContext): Promise<number> {
  const table = context.table(ACCOUNT_HEALTH);
  const models = await readLtvModels(context.tx);
  let refreshed = 0;
  for (;;) {
    const { rows } = await context.tx.query<ContributionColumns & { facts: AccountHealthFacts }>(
      `SELECT facts, ${CONTRIBUTION_COLUMNS} FROM ${table}
       WHERE rescore_at <= $1 OR (status = 'open' AND ltv_fit IS DISTINCT FROM $2::text)
       ORDER BY rescore_at, account_id LIMIT ${REFRESH_CHUNK}`,
      [context.now.toISOString(), models?.fitId ?? null],
    );
    if (rows.length === 0) break;
    const scored: Record<string, unknown>[] = [];
    const deltas: PortfolioDelta[] = [];
    for (const stored of rows) {
      const { facts: _facts, ...row } = accountHealthRow(stored.facts, scoreAccountHealth(stored.facts, rules, context.now, models));
      scored.push(row);
      deltas.push(...portfolioDeltas(contributionOf(stored), contributionOf(row)));
    }
    await context.tx.query(rescoreAccountHealthSql(table), [JSON.stringify(scored)]);
    await writePortfolioDeltas(context.tx, context.table(PORTFOLIO), deltas);
    refreshed += rows.length;
    if (rows.length < REFRESH_CHUNK) break;
  }
  return refreshed;
}
