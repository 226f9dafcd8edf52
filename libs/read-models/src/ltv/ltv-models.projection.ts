import type { FoldableEvent } from '@ahe/domain';
import { isAccountEventType } from '@ahe/events';
import type { EventEnvelope } from '@ahe/event-store';
import type { ProjectionContext, ProjectionDefinition } from '@ahe/projections';
import { groupByAccount } from '../account-streams';
import { statementName } from '../batch-sql';
import { evolveLtvHistory, initialLtvHistory } from './ltv-history';
import { ltvKindOf } from './ltv-observation';
import { LTV_CUSTOMERS, LTV_MODELS, LTV_MODELS_TABLES } from './ltv-models.table';
import { ltvCustomerTuples, selectLtvCustomersSql, writeLtvCustomersSql, type LtvCustomerRow } from './ltv-models.rows';
import { ltvRefresher } from './ltv-models.refit';
import type { LtvHistory } from './ltv.types';

/** Bump when the code or the tables change the rows the same events produce. */
const VERSION = 'ltv_models.v3';

/** How often the owner looks at whether a refit is due, at most: cheap (two small reads). */
const MAX_REFRESH_INTERVAL_MS = 5_000;

/** Parks the event, as the other projections do: a history must start with AccountOpened. */
export class LtvAccountNotOpenedError extends Error {
  override readonly name = 'LtvAccountNotOpenedError';

  constructor(accountId: string, type: string, revision: number) {
    super(`account ${accountId}: ${type} at revision ${revision} precedes any AccountOpened`);
  }
}

export interface LtvModelsProjectionOptions {
  /** A refit waits this long after the previous one, however much data arrives meanwhile. */
  readonly refitIntervalMs: number;
  /** Wall clock of the debounce and of fitted_at; the data's instant is the engine's `now`. */
  readonly clock?: () => Date;
}

/**
 * ltv_customers (each account's LTV history, one read and one write per batch) and ltv_models
 * (the fitted models). Fitting reads every account, so it happens in the refresh, debounced,
 * not per batch: see `ltvRefresher`.
 */
export function ltvModelsProjection(options: LtvModelsProjectionOptions): ProjectionDefinition {
  const refit = ltvRefresher({ refitIntervalMs: options.refitIntervalMs, clock: options.clock ?? (() => new Date()) });
  return {
    name: LTV_MODELS,
    version: VERSION,
    readsMetadata: false,
    tables: LTV_MODELS_TABLES,
    apply: applyBatch,
    refresh: {
      intervalMs: Math.min(options.refitIntervalMs, MAX_REFRESH_INTERVAL_MS),
      run: async (context) => ({ changed: await refit.run(context) }),
      wakeups: refit.wakeups,
    },
  };
}

async function applyBatch(events: readonly EventEnvelope[], context: ProjectionContext): Promise<void> {
  const byAccount = groupByAccount(events);
  if (byAccount.size === 0) return;
  const table = context.table(LTV_CUSTOMERS);
  const { rows } = await context.tx.query<Pick<LtvCustomerRow, 'account_id' | 'history' | 'revision'>>(selectLtvCustomersSql(table), [[...byAccount.keys()]], statementName('read', table));
  const stored = new Map(rows.map((row) => [row.account_id, row]));
  const created: LtvCustomerRow[] = [];
  const replaced: LtvCustomerRow[] = [];
  for (const [accountId, envelopes] of byAccount) {
    const before = stored.get(accountId);
    const row = foldAccount(accountId, before, envelopes);
    if (row !== null) (before === undefined ? created : replaced).push(row);
  }
  if (created.length + replaced.length === 0) return;
  await context.tx.query(writeLtvCustomersSql(table), [ltvCustomerTuples(created), ltvCustomerTuples(replaced)], statementName('write', table));
}

/**
 * Folds the events the stored row has not seen; the row it returns is stamped with the last
 * event that changed the history, so contacts and surveys neither rewrite rows nor make the
 * data look newer than the fit. Null when nothing changed.
 */
function foldAccount(accountId: string, stored: Pick<LtvCustomerRow, 'history' | 'revision'> | undefined, envelopes: readonly EventEnvelope[]): LtvCustomerRow | null {
  let history: LtvHistory = stored?.history ?? initialLtvHistory();
  let opened = stored !== undefined;
  let last: EventEnvelope | null = null;
  for (const envelope of envelopes) {
    // Already folded (a batch applied again), or a type this build does not know.
    if (envelope.revision <= (stored?.revision ?? -1) || !isAccountEventType(envelope.type)) continue;
    if (!opened && envelope.type !== 'AccountOpened') throw new LtvAccountNotOpenedError(accountId, envelope.type, envelope.revision);
    opened = true;
    const next = evolveLtvHistory(history, { type: envelope.type, data: envelope.data, occurredAt: envelope.occurredAt } as FoldableEvent);
    if (next === history) continue;
    history = next;
    last = envelope;
  }
  if (last === null) return null;
  return {
    account_id: accountId,
    segment: history.segment,
    kind: ltvKindOf(history),
    history,
    revision: last.revision,
    position: last.globalPosition,
    updated_at: last.recordedAt,
  };
}
