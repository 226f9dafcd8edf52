import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AnyAccountState } from '@ahe/domain';
import type { EventEnvelope } from '@ahe/event-store';
import type { ProjectionContext, ProjectionDefinition } from '@ahe/projections';
import { readLtvModels, type LtvModels } from '../ltv';
import { HEALTH_HISTORY, healthHistoryRow, healthHistoryTable, type HealthHistoryRow } from '../health-history/health-history.table';
import { portfolioDeltas, type PortfolioDelta } from '../portfolio/portfolio.deltas';
import { PORTFOLIO, portfolioTable } from '../portfolio/portfolio.table';
import type { ScoringRules } from '../scoring/scoring-rules.loader';
import { instantMs, utcDateOf } from '../scoring/utc-calendar';
import { evolveFoldingFacts, foldingFactsOf, initialHealthFacts, type FoldingHealthFacts, type HealthFactsOf } from './account-health.facts';
import { refreshAccountHealth, SettledFits } from './account-health.refresh';
import { accountHealthRow, contributionOf, type AccountHealthRow } from './account-health.rows';
import { healthFiguresAt, scoreAccountHealth } from './account-health.score';
import { ACCOUNT_HEALTH, accountHealthTable } from './account-health.table';
import { loadStoredHealth, writeHealth, writePortfolioDeltas, type HealthWrites } from './account-health.writes';
import { groupByAccount } from '../account-streams';

export interface AccountHealthProjectionOptions {
  readonly rules: ScoringRules;
  readonly refreshIntervalMs: number;
  /** Rows a refresh step re-scores at most, in one transaction; default REFRESH_CHUNK. */
  readonly refreshChunk?: number;
  /** Events a batch's write part holds at least (see PART_EVENTS, the default). */
  readonly partEvents?: number;
}

/** Bump when the code or the tables change the rows the same events produce. */
const CODE_VERSION = 'account_health.v6';

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
    apply: (events, context) => applyBatch(rules, settled, events, context, options.partEvents ?? PART_EVENTS),
    refresh: { intervalMs: options.refreshIntervalMs, run: (context, cursor) => refreshAccountHealth(rules, context, settled, cursor, options.refreshChunk) },
  };
}

/**
 * Events a part of a batch holds (at least: whole accounts) before it is written. A rebuild's
 * batches of 5,000-10,000 events go in 5-10 parts, each sent as one statement once folded, so
 * PostgreSQL writes one part while this process folds the next; written whole, the batch's
 * writes waited for its whole fold and the next batch for those writes. A live batch (tens of
 * events) is one part, as before.
 */
const PART_EVENTS = 1_000;

async function applyBatch(rules: ScoringRules, settled: SettledFits, events: readonly EventEnvelope[], context: ProjectionContext, partEvents: number): Promise<void> {
  const byAccount = groupByAccount(events);
  if (byAccount.size === 0) return;
  const tables = { health: context.table(ACCOUNT_HEALTH), history: context.table(HEALTH_HISTORY) };
  const stored = await loadStoredHealth(context.tx, tables.health, [...byAccount.keys()]);
  const models = await readLtvModels(context.tx);
  const deltas: PortfolioDelta[] = [];
  const sent: Promise<void>[] = [];
  const send = (writes: HealthWrites) => {
    const written = writeHealth(context.tx, tables, writes);
    // Settled below; handled now, so that a failure before then is not an unhandled rejection.
    written.catch(() => undefined);
    sent.push(written);
  };
  let part = emptyPart();
  let eventsInPart = 0;
  let scored = false;
  try {
    for (const [accountId, envelopes] of byAccount) {
      const before = stored.get(accountId);
      // An account without stored facts has no history rows either (both are written here, in
      // one transaction), so its rows are plain inserts; only the others may replace a day's row.
      const history = before === undefined ? part.newHistory : part.replacingHistory;
      const facts = foldAccount(rules, models, before?.facts ?? initialHealthFacts(accountId), envelopes, history);
      eventsInPart += envelopes.length;
      if (facts !== null) {
        const row = accountHealthRow(facts, scoreAccountHealth(facts, rules, context.now, models));
        part.rows.push(row);
        scored = true;
        deltas.push(...portfolioDeltas(before === undefined ? null : contributionOf(before.row), contributionOf(row)));
      }
      if (eventsInPart >= partEvents) {
        send(part);
        part = emptyPart();
        eventsInPart = 0;
        // A turn of the event loop: the driver reads the answer to the part before and sends this one.
        await nextTurn();
      }
    }
    send(part);
    if (scored) settled.scoredWith(tables.health, models?.fitId ?? null);
    const portfolio = writePortfolioDeltas(context.tx, context.table(PORTFOLIO), deltas);
    portfolio.catch(() => undefined);
    sent.push(portfolio);
  } catch (error) {
    // Nothing of the transaction may still be running when it is rolled back and tried again.
    await Promise.allSettled(sent);
    throw error;
  }
  const failed = (await Promise.allSettled(sent)).find((result): result is PromiseRejectedResult => result.status === 'rejected');
  // The first failure is the cause; the statements after it failed because the transaction had.
  if (failed) throw failed.reason;
}

function emptyPart(): { rows: AccountHealthRow[]; newHistory: HealthHistoryRow[]; replacingHistory: HealthHistoryRow[] } {
  return { rows: [], newHistory: [], replacingHistory: [] };
}

/**
 * Folds the events the stored facts have not seen (a replayed batch changes nothing) and
 * scores each touched day once, after its last event in log order, at that event's
 * occurredAt, with the fit current when the batch is applied. Null when every event was
 * already folded.
 */
function foldAccount(
  rules: ScoringRules,
  models: LtvModels | null,
  from: HealthFactsOf<AnyAccountState>,
  envelopes: readonly EventEnvelope[],
  history: HealthHistoryRow[],
): FoldingHealthFacts | null {
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
  // Stored as entry lists (storedFactsOf), scored as folded: no AccountState view is needed.
  return facts;
}
