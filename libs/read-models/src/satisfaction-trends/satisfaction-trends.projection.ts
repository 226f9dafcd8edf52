import type { EventEnvelope } from '@ahe/event-store';
import type { ProjectionContext, ProjectionDefinition } from '@ahe/projections';
import { addIncrements, evolveTrendAccount, initialTrendAccount, type TrendAccount, type TrendIncrement } from './satisfaction-trends.evolve';
import { groupByAccount } from '../account-streams';
import {
  addTrendIncrementsSql,
  SATISFACTION_TREND_ACCOUNTS,
  SATISFACTION_TRENDS,
  SATISFACTION_TRENDS_TABLES,
  selectTrendAccountsSql,
  trendAccountOf,
  trendAccountRow,
  trendIncrementRow,
  upsertTrendAccountsSql,
  type TrendAccountRow,
} from './satisfaction-trends.table';

/** Bump when the code or the tables change the rows the same events produce. */
const VERSION = 'satisfaction_trends.v1';

/**
 * satisfaction_trends: per batch one read of the touched accounts' groups and one statement
 * per table, however many events the batch holds.
 */
export function satisfactionTrendsProjection(): ProjectionDefinition {
  return {
    name: SATISFACTION_TRENDS,
    version: VERSION,
    tables: SATISFACTION_TRENDS_TABLES,
    apply: applyBatch,
  };
}

async function applyBatch(events: readonly EventEnvelope[], context: ProjectionContext): Promise<void> {
  const byAccount = groupByAccount(events);
  if (byAccount.size === 0) return;
  const accountsTable = context.table(SATISFACTION_TREND_ACCOUNTS);
  const { rows } = await context.tx.query<TrendAccountRow>(selectTrendAccountsSql(accountsTable), [[...byAccount.keys()]]);
  const stored = new Map(rows.map((row) => [row.account_id, trendAccountOf(row)]));

  const touched: TrendAccount[] = [];
  const buckets = new Map<string, TrendIncrement>();
  for (const [accountId, envelopes] of byAccount) {
    const before = stored.get(accountId) ?? initialTrendAccount(accountId);
    let account = before;
    for (const envelope of envelopes) {
      // Already folded: the batch is being applied again (after a crash, or one by one).
      if (envelope.revision <= account.revision) continue;
      const next = evolveTrendAccount(account, envelope);
      account = next.account;
      addIncrements(buckets, next.increments);
    }
    if (account !== before) touched.push(account);
  }

  if (touched.length > 0) {
    await context.tx.query(upsertTrendAccountsSql(accountsTable), [JSON.stringify(touched.map(trendAccountRow))]);
  }
  if (buckets.size > 0) {
    await context.tx.query(addTrendIncrementsSql(context.table(SATISFACTION_TRENDS)), [JSON.stringify([...buckets.values()].map(trendIncrementRow))]);
  }
}
