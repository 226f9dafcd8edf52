import { performance } from 'node:perf_hooks';
import type { SqlClient } from '@ahe/database';
import { eventStoreOn, type EventStore } from '@ahe/event-store';
import { ProjectionEngine } from '@ahe/projections';
import { loadScoringRules, readModelProjections } from '@ahe/read-models';

// The bench data set's LTV fit of the whole log (dataset.ts): how it stands, and waiting for it.

/** Longest wait for the LTV fit of the whole log. */
const FIT_TIMEOUT_MS = 60 * 60_000;
/** How often the fit status is read while waiting: a refresh tick is 1 s apart, so a 1 s poll could miss the end by most of one. */
const FIT_POLL_MS = 200;
/** Where the serving LTV models stand (see fitReadModels). */
export interface FitStatus {
  readonly fitId: string | null;
  /** Log position the fit saw, and the last position that changed an account's LTV history. */
  readonly fitPosition: number;
  readonly dataPosition: number;
}

export const isFitted = (status: FitStatus): boolean => status.fitId !== null && status.fitPosition >= status.dataPosition;

export async function fitStatus(sql: SqlClient): Promise<FitStatus> {
  const { rows: [row] } = await sql.query<{ fit_id: string | null; fit_position: number; data_position: number }>(
    `SELECT fit.fit_id, coalesce(fit.position, 0)::float8 AS fit_position,
            (SELECT coalesce(max(position), 0)::float8 FROM ltv_customers) AS data_position
     FROM (SELECT max(fit_id) AS fit_id, max(position) AS position FROM ltv_models) fit`,
  );
  return { fitId: row!.fit_id, fitPosition: row!.fit_position, dataPosition: row!.data_position };
}

/**
 * The projector's own mechanism, as a deployment runs it, until a fit covers the whole log.
 * While the log is projected the LTV refresh fits early, on the accounts seen so far (its first
 * tick finds no fit), and then waits out the refit interval; here the refit runs with a short
 * interval, and the health refresh not at all.
 *
 * Open health rows keep the fit they were scored with (the early one, or a fit before a
 * rebuild), as in a deployment between a refit and the walk that follows it. Re-scoring them
 * took 14–32 s of every full run (the reads line checks the fit again after the projections
 * line's rebuilds), and no line depends on it: `GET /v1/health/:id` scores the account's facts
 * with the serving fit whatever its row holds, and the lists read the same columns either way.
 * The walk has a line of its own (live lag while account_health re-scores, --lag-rescore).
 */
export async function fitReadModels(sql: SqlClient, log: (line: string) => void, openStore?: EventStore): Promise<void> {
  const status = await fitStatus(sql);
  if (isFitted(status)) return;
  const store = openStore ?? (await eventStoreOn(sql));
  const started = performance.now();
  try {
    log(`data set: fitting the LTV models on the whole log (fit at position ${status.fitPosition.toLocaleString('en')} of ${status.dataPosition.toLocaleString('en')})…`);
    const fitted = await runUntil(sql, store, log, { healthRefreshIntervalMs: 3_600_000, ltvRefitIntervalMs: 1_000 }, isFitted);
    log(`data set: LTV fit ${fitted.fitId} written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    if (openStore === undefined) await store.close();
  }
}

/** Runs every read model with these refresh intervals until `done` holds of the fit status. */
async function runUntil(
  sql: SqlClient, store: EventStore, log: (line: string) => void, intervals: { healthRefreshIntervalMs: number; ltvRefitIntervalMs: number },
  done: (status: FitStatus) => boolean,
): Promise<FitStatus> {
  // Refresh failures (a fit that throws) are only logged by the engine: show them.
  const logger = { log: () => undefined, warn: (message: string) => log(`data set: ${message}`), error: (message: string) => log(`data set: ${message}`) };
  const engine = new ProjectionEngine({ sql, store, definitions: readModelProjections({ rules: loadScoringRules(), ...intervals }), batchSize: 1000, logger });
  const started = performance.now();
  let reported = started;
  await engine.start();
  try {
    await engine.waitUntilCaughtUp(FIT_TIMEOUT_MS);
    for (;;) {
      const status = await fitStatus(sql);
      if (done(status)) return status;
      const now = performance.now();
      if (now - started > FIT_TIMEOUT_MS) throw new Error(`bench data set: the LTV fit did not settle in ${FIT_TIMEOUT_MS / 60_000} min: ${JSON.stringify(status)}`);
      if (now - reported >= 30_000) {
        reported = now;
        log(`data set: waiting (${((now - started) / 1000).toFixed(0)} s): fit ${status.fitId ?? 'none'} at position ${status.fitPosition.toLocaleString('en')} of ${status.dataPosition.toLocaleString('en')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, FIT_POLL_MS));
    }
  } finally {
    await engine.stop();
  }
}
