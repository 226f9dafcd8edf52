import type { EventEnvelope } from '@ahe/event-store';
import type { ProjectionContext, ProjectionDefinition } from '@ahe/projections';
import { readLtvModels, type LtvModels } from '../ltv';
import { HEALTH_HISTORY, healthHistoryColumns, healthHistoryRow, healthHistoryTable, insertHealthHistorySql, type HealthHistoryRow } from '../health-history/health-history.table';
import { portfolioDeltas, type PortfolioDelta } from '../portfolio/portfolio.deltas';
import { PORTFOLIO, portfolioTable } from '../portfolio/portfolio.table';
import type { ScoringRules } from '../scoring/scoring-rules.loader';
import { instantMs, utcDateOf } from '../scoring/utc-calendar';
import { evolveFoldingFacts, foldingFactsOf, healthFactsOf, initialHealthFacts, type AccountHealthFacts } from './account-health.facts';
import { refreshAccountHealth, SettledFits } from './account-health.refresh';
import { accountHealthRow, contributionOf, type AccountHealthRow } from './account-health.rows';
import { healthFiguresAt, scoreAccountHealth } from './account-health.score';
import { ACCOUNT_HEALTH, accountHealthTable } from './account-health.table';
import { loadStoredHealth, writeAccountHealth, writePortfolioDeltas } from './account-health.writes';
import { groupByAccount } from '../account-streams';
import { statementName } from '../batch-sql';

export interface AccountHealthProjectionOptions {
  readonly rules: ScoringRules;
  readonly refreshIntervalMs: number;
  /** Rows a refresh step re-scores at most, in one transaction; default REFRESH_CHUNK. */
  readonly refreshChunk?: number;
}

/** Bump when the code or the tables change the rows the same events produce. */
const CODE_VERSION = 'account_health.v4';

/**
 * account_health, health_history and portfolio, written together: per batch one read of the
 * touched accounts' facts, one of the current LTV fit, and one statement per table, however
 * many events the batch holds. Expected LTV follows the `ltv_models` projection's fit: rows
 * record the fit they used (ltv_fit) and the refresh re-scores them when it changes.
 */
export function accountHealthProjection(options: AccountHealthProjectionOptions): ProjectionDefinition {
  const { rules } = options;
  const settled = new SettledFits();
  return {
    name: ACCOUNT_HEALTH,
    version: `${CODE_VERSION}+${rules.scoringVersion}`,
    readsMetadata: false,
    tables: [accountHealthTable, healthHistoryTable, portfolioTable],
    apply: (events, context) => applyBatch(rules, settled, events, context),
    refresh: { intervalMs: options.refreshIntervalMs, run: (context, cursor) => refreshAccountHealth(rules, context, settled, cursor, options.refreshChunk) },
  };
}

async function applyBatch(rules: ScoringRules, settled: SettledFits, events: readonly EventEnvelope[], context: ProjectionContext): Promise<void> {
  const byAccount = groupByAccount(events);
  if (byAccount.size === 0) return;
  const stored = await loadStoredHealth(context.tx, context.table(ACCOUNT_HEALTH), [...byAccount.keys()]);
  const models = await readLtvModels(context.tx);
  const healthRows: AccountHealthRow[] = [];
  // An account without stored facts has no history rows either (both are written here, in one
  // transaction), so its rows are plain inserts; only the others may replace a day's row.
  const newHistory: HealthHistoryRow[] = [];
  const replacingHistory: HealthHistoryRow[] = [];
  const deltas: PortfolioDelta[] = [];
  for (const [accountId, envelopes] of byAccount) {
    const before = stored.get(accountId);
    const history = before === undefined ? newHistory : replacingHistory;
    const facts = foldAccount(rules, models, before?.facts ?? initialHealthFacts(accountId), envelopes, history);
    if (facts === null) continue;
    const row = accountHealthRow(facts, scoreAccountHealth(facts, rules, context.now, models));
    healthRows.push(row);
    deltas.push(...portfolioDeltas(before === undefined ? null : contributionOf(before.row), contributionOf(row)));
  }
  if (healthRows.length > 0) settled.scoredWith(context.table(ACCOUNT_HEALTH), models?.fitId ?? null);
  await writeAccountHealth(context.tx, context.table(ACCOUNT_HEALTH), healthRows);
  await writeHistory(context, newHistory, false);
  await writeHistory(context, replacingHistory, true);
  await writePortfolioDeltas(context.tx, context.table(PORTFOLIO), deltas);
}

/**
 * Folds the events the stored facts have not seen (a replayed batch changes nothing) and
 * scores each touched day once, after its last event in log order, at that event's
 * occurredAt, with the fit current when the batch is applied. Null when every event was
 * already folded.
 */
function foldAccount(rules: ScoringRules, models: LtvModels | null, from: AccountHealthFacts, envelopes: readonly EventEnvelope[], history: HealthHistoryRow[]): AccountHealthFacts | null {
  const fresh: EventEnvelope[] = [];
  let revision = from.revision;
  for (const envelope of envelopes) {
    if (envelope.revision <= revision) continue;
    fresh.push(envelope);
    revision = envelope.revision;
  }
  if (fresh.length === 0) return null;
  const days = fresh.map((envelope) => utcDateOf(envelope.occurredAt));
  const lastOfDay = new Map<string, number>();
  days.forEach((day, index) => lastOfDay.set(day, index));
  let facts = foldingFactsOf(from);
  for (let index = 0; index < fresh.length; index++) {
    const envelope = fresh[index]!;
    facts = evolveFoldingFacts(facts, envelope);
    const day = days[index]!;
    if (lastOfDay.get(day) === index) history.push(healthHistoryRow(facts.accountId, day, facts.position, healthFiguresAt(facts, rules, instantMs(envelope.occurredAt), models)));
  }
  return healthFactsOf(facts);
}

async function writeHistory(context: ProjectionContext, rows: readonly HealthHistoryRow[], replace: boolean): Promise<void> {
  if (rows.length === 0) return;
  const table = context.table(HEALTH_HISTORY);
  await context.tx.query(insertHealthHistorySql(table, replace), healthHistoryColumns(rows), statementName(replace ? 'upsert' : 'insert', table));
}
