import type { SqlQueryable } from '@ahe/database';
import type { ProjectionContext } from '@ahe/projections';
import { DAY_MS } from '../scoring/utc-calendar';
import { fitLtvModelsInWorker } from './ltv-fit.in-worker';
import { observeLtv } from './ltv-observation';
import { insertLtvModelsSql, ltvModelRows, selectFitStateSql, type LtvCustomerRow } from './ltv-models.rows';
import { LTV_CUSTOMERS, LTV_MODELS } from './ltv-models.table';
import type { LtvModels } from './ltv.types';

export interface RefitOptions {
  readonly refitIntervalMs: number;
  readonly clock: () => Date;
}

/** The bookkeeping of the last refit: what it saw, the instant it fitted as of, when it ran. */
interface FitState {
  readonly position: number;
  readonly asOfMs: number;
  readonly fittedAtMs: number;
}

/**
 * Due when the log has moved past the fit and the fit is at least `refitIntervalMs` old (the
 * debounce: a burst of events costs one refit), or when the fit is over a day old even without
 * new data — BG/NBD's T grows with time, so the same histories fit differently a day later.
 */
function refitDue(fit: FitState | null, latestPosition: number, now: Date, wallNow: Date, refitIntervalMs: number): boolean {
  if (fit === null) return latestPosition > 0;
  const newData = latestPosition > fit.position && wallNow.getTime() - fit.fittedAtMs >= refitIntervalMs;
  return newData || now.getTime() - fit.asOfMs > DAY_MS;
}

/** A fit computed between two refreshes, waiting to be written by the next one. */
type ComputedFit =
  | { readonly models: LtvModels; readonly state: FitState; readonly fittedAt: Date }
  | { readonly error: unknown };

/**
 * Refits every model on every account as of `context.now`, in two refresh ticks. The tick that
 * finds a refit due reads the accounts and returns; the fit itself runs after that transaction
 * has committed, on a worker thread (fitLtvModelsInWorker), because the refresh's transaction holds the owner's fence (a transaction id)
 * and, while it is open, no reader of the global log sees anything committed after it began —
 * a fit takes seconds, a minute on tens of thousands of accounts; and on this thread it would
 * stall every other transaction of the process past the idle-in-transaction timeout. The next tick replaces the
 * stored fit with it in one transaction, so readers see the old fit or the new one, never a mix.
 * Returns the model rows written (0 on a tick that writes nothing).
 *
 * The owner is woken (`wakeups`) when a fit is done, so the tick that writes it comes at once
 * rather than up to a refresh interval later.
 *
 * A fit with no model at all (nothing to fit yet) leaves no row to remember it by, so the last
 * attempt is also kept in memory, per physical table, to debounce those as well.
 */
export function ltvRefresher(options: RefitOptions): LtvRefresher {
  const attempts = new Map<string, FitState>();
  const listeners = new Set<() => void>();
  const fitDone = () => listeners.forEach((wake) => wake());
  const computing = new Set<string>();
  const computed = new Map<string, ComputedFit>();
  const run = async (context: ProjectionContext): Promise<number> => {
    const modelsTable = context.table(LTV_MODELS);
    const customersTable = context.table(LTV_CUSTOMERS);
    const ready = computed.get(modelsTable);
    if (ready !== undefined) {
      computed.delete(modelsTable);
      // A fit that failed fails this refresh, which the engine logs; the next tick tries again.
      if ('error' in ready) throw ready.error;
      const modelRows = ltvModelRows(ready.models, ready.fittedAt);
      await context.tx.query(`DELETE FROM ${modelsTable}`);
      if (modelRows.length > 0) await context.tx.query(insertLtvModelsSql(modelsTable), [JSON.stringify(modelRows)]);
      attempts.set(modelsTable, ready.state);
      return modelRows.length;
    }
    if (computing.has(modelsTable)) return 0;
    const stored = await storedFitState(context.tx, modelsTable);
    const latestPosition = await latestCustomerPosition(context.tx, customersTable);
    const wallNow = options.clock();
    if (!refitDue(stored ?? attempts.get(modelsTable) ?? null, latestPosition, context.now, wallNow, options.refitIntervalMs)) return 0;

    const { rows } = await context.tx.query<Pick<LtvCustomerRow, 'history'>>(`SELECT history FROM ${customersTable} WHERE kind <> 'none'`);
    const asOf = context.now;
    computing.add(modelsTable);
    // Started once this refresh has returned; fitted on a worker thread, so that neither this
    // transaction nor any other projection's waits on the event loop while Nelder-Mead runs.
    // Only a running engine writes it: a process that has stopped its engine need not wait for it.
    const fitting = new Promise((resolve) => setTimeout(resolve, 0))
      .then(() => fitLtvModelsInWorker(rows.map((row) => observeLtv(row.history, asOf)), { asOf, axis: 'recorded', position: latestPosition }, { holdsProcess: false }))
      .then(
        (models) => computed.set(modelsTable, { models, fittedAt: wallNow, state: { position: latestPosition, asOfMs: asOf.getTime(), fittedAtMs: wallNow.getTime() } }),
        (error: unknown) => computed.set(modelsTable, { error }),
      )
      .finally(() => {
        computing.delete(modelsTable);
        fitDone();
      });
    track(fitting);
    return 0;
  };
  return {
    run,
    wakeups: (wake) => {
      listeners.add(wake);
      return () => listeners.delete(wake);
    },
  };
}

export interface LtvRefresher {
  /** One refresh tick (see ltvRefresher); the model rows it wrote. */
  run(context: ProjectionContext): Promise<number>;
  /** ProjectionRefresh.wakeups: called when a fit has finished and waits to be written. */
  wakeups(wake: () => void): () => void;
}

/** Fits under way in this process, of every refresher: what tests wait on before the next tick. */
const fitsUnderWay = new Set<Promise<unknown>>();

function track(fit: Promise<unknown>): void {
  fitsUnderWay.add(fit);
  void fit.finally(() => fitsUnderWay.delete(fit));
}

/** Resolves once no LTV fit is running in this process (one started meanwhile is waited for too). */
export async function ltvFitsSettled(): Promise<void> {
  while (fitsUnderWay.size > 0) await Promise.allSettled([...fitsUnderWay]);
}

async function storedFitState(tx: SqlQueryable, table: string): Promise<FitState | null> {
  const { rows } = await tx.query<{ as_of: Date | string; fitted_at: Date | string; position: number }>(selectFitStateSql(table));
  const row = rows[0];
  if (row === undefined) return null;
  return { position: row.position, asOfMs: new Date(row.as_of).getTime(), fittedAtMs: new Date(row.fitted_at).getTime() };
}

async function latestCustomerPosition(tx: SqlQueryable, table: string): Promise<number> {
  const { rows } = await tx.query<{ position: number }>(`SELECT coalesce(max(position), 0)::float8 AS position FROM ${table}`);
  return rows[0]!.position;
}
