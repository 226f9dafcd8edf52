import type { EventEnvelope } from '@ahe/event-store';
import type { ProjectionContext, ProjectionDefinition } from '@ahe/projections';
import { addIncrement, evolveTrendAccount, initialTrendAccount, type TrendAccount, type TrendSums } from './satisfaction-trends.evolve';
import { groupByAccount } from '../account-streams';
import { statementName } from '../batch-sql';
import {
  SATISFACTION_TREND_ACCOUNTS,
  SATISFACTION_TRENDS,
  SATISFACTION_TRENDS_TABLES,
  selectTrendAccountsSql,
  trendAccountOf,
  trendWriteParams,
  writeTrendsSql,
  type TrendAccountRow,
} from './satisfaction-trends.table';

/** Bump when the code or the tables change the rows the same events produce. */
const VERSION = 'satisfaction_trends.v2';

/**
 * satisfaction_trends: per batch one read of the touched accounts' groups and one statement
 * writing both tables, however many events the batch holds.
 */
export function satisfactionTrendsProjection(): ProjectionDefinition {
  return {
    name: SATISFACTION_TRENDS,
    version: VERSION,
    readsMetadata: false,
    tables: SATISFACTION_TRENDS_TABLES,
    apply: applyBatch,
  };
}

async function applyBatch(events: readonly EventEnvelope[], context: ProjectionContext): Promise<void> {
  const byAccount = groupByAccount(events);
  if (byAccount.size === 0) return;
  const accountsTable = context.table(SATISFACTION_TREND_ACCOUNTS);
  const { rows } = await context.tx.query<TrendAccountRow>(selectTrendAccountsSql(accountsTable), [[...byAccount.keys()]], statementName('read', accountsTable));
  const stored = new Map(rows.map((row) => [row.account_id, trendAccountOf(row)]));

  const newAccounts: TrendAccount[] = [];
  const storedAccounts: TrendAccount[] = [];
  const newBuckets = new Map<string, TrendSums>();
  const addedBuckets = new Map<string, TrendSums>();
  for (const [accountId, envelopes] of byAccount) {
    const before = stored.get(accountId);
    let account = before ?? initialTrendAccount(accountId);
    for (const envelope of envelopes) {
      // Already folded: the batch is being applied again (after a crash, or one by one).
      if (envelope.revision <= account.revision) continue;
      const next = evolveTrendAccount(account, envelope);
      account = next.account;
      for (const increment of next.increments) {
        // An account without a stored row has had no survey counted: its own buckets are new.
        addIncrement(before === undefined && increment.groupBy === 'account' ? newBuckets : addedBuckets, increment);
      }
    }
    if (before === undefined) {
      if (account.revision >= 0) newAccounts.push(account);
    } else if (account !== before) storedAccounts.push(account);
  }

  if (newAccounts.length + storedAccounts.length + newBuckets.size + addedBuckets.size === 0) return;
  const params = trendWriteParams({ newAccounts, storedAccounts, newBuckets: [...newBuckets.values()], addedBuckets: [...addedBuckets.values()] });
  const trendsTable = context.table(SATISFACTION_TRENDS);
  await context.tx.query(writeTrendsSql(accountsTable, trendsTable), params, statementName('write', trendsTable));
}
