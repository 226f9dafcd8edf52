import { performance } from 'node:perf_hooks';
import type { SqlClient } from '@ahe/database';
import { eventStoreOn } from '@ahe/event-store';
import { ProjectionEngine, type ProjectionDefinition, type ProjectionMetrics } from '@ahe/projections';
import { ACCOUNT_HEALTH, loadScoringRules, readModelProjections } from '@ahe/read-models';
import { type BenchRow, type BenchTarget, goalOf, reaches } from './bench-table';
import { seedOpenAccounts } from './demo-accounts';
import { latencies, windowedLatencies, windowsNote } from './measure';
import { achievedRate, appendSteadily } from './steady-appends';
import { dropTarget, freshTarget, openTarget, whereOf, type EmbeddedChoice } from './store-target';
import { LogOrder, untilApplied, visibilityLags } from './visibility-lags';

const LAG_TARGET: BenchTarget = { maxMs: 200 };

export interface LiveLagBenchOptions {
  readonly databaseUrl: string;
  /** The store and the read models on the embedded store (a PGlite folder of its own, in this process, as `npm start` runs by default). */
  readonly embedded?: EmbeddedChoice;
  /** Events appended a second; default 1,000. */
  readonly rate?: number;
  /** Seconds of appending; default 20 (quick 3). */
  readonly durationSeconds?: number;
  /** Events per append (one account, one transaction); default 1: each a command's worth. */
  readonly eventsPerAppend?: number;
  /** Consecutive windows of the appends whose percentiles are taken apart, the line's runs (windowedLatencies); default 1. */
  readonly runs?: number;
  /** Accounts written to; default 1,000. */
  readonly accounts?: number;
  /**
   * When above 0, a second line: the same appends while account_health's refresh re-scores the
   * open rows of this many accounts, as it does after an LTV refit (no goal). Default 0.
   */
  readonly refreshAccounts?: number;
  readonly log?: (line: string) => void;
}

/** The refresh interval of the re-scoring line: its walk starts within this of the rows going stale. */
const RESCORE_REFRESH_MS = 1_000;

/**
 * Live lag of the read models: events appended through the store at a steady rate to random
 * accounts while the projection engine runs in this process, from each append's commit to the
 * moment account_health's committed checkpoint passes it (the engine reports each committed
 * batch with its last position; the log order of positions is taken from what the
 * subscriptions read, since positions commit out of order under concurrent writers).
 */
export async function liveLagBench(options: LiveLagBenchOptions): Promise<BenchRow[]> {
  const rows = [await lagLine(options, options.accounts ?? 1_000, false)];
  if ((options.refreshAccounts ?? 0) > 0) rows.push(await lagLine(options, options.refreshAccounts!, true));
  return rows;
}

/**
 * One line. With `rescoring`, every open account_health row is marked as scored with another LTV
 * fit once the projections have caught up, so that the refresh re-scores them all (in steps, a
 * transaction each) while the appends run: what a refit does to the lag.
 */
async function lagLine(options: LiveLagBenchOptions, accounts: number, rescoring: boolean): Promise<BenchRow> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rate = options.rate ?? 1_000;
  const durationSeconds = options.durationSeconds ?? 20;
  const perAppend = options.eventsPerAppend ?? 1;
  const target = freshTarget(options.embedded ?? false, options.databaseUrl, `bench_b2_lag${rescoring ? '_rescore' : ''}_${process.pid}`);
  try {
    const accountIds = await seedOpenAccounts(target, accounts, log);
    const sql = await openTarget(target, 10);
    const store = await eventStoreOn(sql).catch(async (error: unknown) => {
      await sql.close();
      throw error;
    });
    const order = new LogOrder();
    const applied: { at: number; rank: number; events: number; seconds: number }[] = [];
    const metrics: ProjectionMetrics = {
      batchApplied: ({ name, position, events, seconds }) => {
        if (name === ACCOUNT_HEALTH) applied.push({ at: performance.now(), rank: order.rankOf(position), events, seconds });
      },
      eventParked: ({ name, type, error }) => log(`live lag: ${name} parked ${type}: ${error}`),
      lag: () => undefined,
    };
    const steps: { at: number; ms: number; changed: number }[] = [];
    const definitionsOfAProcess = () => readModelProjections({ rules: loadScoringRules(), healthRefreshIntervalMs: rescoring ? RESCORE_REFRESH_MS : 60_000, ltvRefitIntervalMs: 300_000 })
      .map((definition) => (definition.name === ACCOUNT_HEALTH ? timedRefresh(definition, steps) : definition));
    const definitions = definitionsOfAProcess();
    const watched = order.watch(store);
    let engine = new ProjectionEngine({ sql, store: watched, definitions, metrics });
    try {
      await engine.start();
      log('live lag: projecting the seeded accounts (not timed)…');
      await engine.waitUntilCaughtUp(300_000);
      let stale = 0;
      if (rescoring) {
        // A process knows which fit it brought the rows to, and would not walk rows changed behind
        // its back: the rows go stale between two processes, and the second walks them all.
        await engine.stop();
        stale = await markEveryOpenRowStale(sql);
        engine = new ProjectionEngine({ sql, store: watched, definitions: definitionsOfAProcess(), metrics });
        await engine.start();
        log(`live lag: ${stale.toLocaleString('en')} open ${ACCOUNT_HEALTH} rows marked as scored with another fit; the refresh re-scores them while the appends run`);
      }
      log(`live lag: appending ${rate} events/s for ${durationSeconds} s, ${perAppend} per append, while the projections run…`);
      const appendsStarted = performance.now();
      const appends = await appendSteadily(store, accountIds, rate, durationSeconds, perAppend);
      const staleAtEnd = rescoring ? await staleRows(sql) : 0;
      await engine.waitUntilCaughtUp(120_000);
      await untilApplied(appends, applied, order, 60_000);
      const lags = visibilityLags(appends, applied, order);
      const achieved = achievedRate(appends, perAppend, appendsStarted, durationSeconds);
      // The re-scoring line is there to show the walk's stretch, which a median of windows would hide: one pooled run.
      const runs = rescoring ? 1 : (options.runs ?? 1);
      const latency = windowedLatencies(lags, runs);
      const during = applied.filter((batch) => batch.at >= appendsStarted);
      const batchEvents = latencies(during.map((batch) => batch.events));
      const batchMs = latencies(during.map((batch) => batch.seconds * 1000));
      const windowsOf = windowsNote(latency, 'the appends in log order');
      const windows = windowsOf ? `, ${windowsOf}` : '';
      const common = `${durationSeconds} s${windows}, ${perAppend} event(s) per append to random ones of ${accountIds.length.toLocaleString('en')} accounts, all ${definitions.length} read models running; achieved ${achieved.toFixed(0)} events/s${achieved > 0 ? ` (the appends took ${((appends.length * perAppend) / achieved).toFixed(1)} s)` : ''}; `
        + `${ACCOUNT_HEALTH} applied ${during.length} batches of median ${batchEvents.p50} events in median ${batchMs.p50.toFixed(0)} ms (p99 ${batchMs.p99.toFixed(0)} ms)`;
      if (!rescoring) {
        return {
          figure: `live lag: append commit → ${ACCOUNT_HEALTH} checkpoint past it, ${rate.toLocaleString('en')} events/s — ${whereOf(target)}`,
          latency,
          ...goalOf(LAG_TARGET),
          met: reaches(LAG_TARGET, { latency }) && achieved >= rate * 0.95,
          note: common,
        };
      }
      const walk = steps.filter((step) => step.at >= appendsStarted && step.changed > 0);
      const rescored = walk.reduce((sum, step) => sum + step.changed, 0);
      const stepMs = latencies(walk.map((step) => step.ms));
      const walkStart = walk.length > 0 ? (walk[0]!.at - appendsStarted) / 1000 : 0;
      const walkEnd = walk.length > 0 ? (walk.at(-1)!.at + walk.at(-1)!.ms - appendsStarted) / 1000 : 0;
      return {
        figure: `live lag while ${ACCOUNT_HEALTH} re-scores every open row (as after an LTV refit), ${rate.toLocaleString('en')} events/s — ${whereOf(target)}`,
        latency,
        note: `${common}; of ${stale.toLocaleString('en')} stale rows the refresh re-scored ${rescored.toLocaleString('en')} (the batches the rest) in ${walk.length} steps (a transaction each) `
          + `of median ${stepMs.p50.toFixed(0)} ms (max ${stepMs.max.toFixed(0)} ms), from ${walkStart.toFixed(1)} s to ${walkEnd.toFixed(1)} s of the appends`
          + (staleAtEnd > 0 ? ` (${staleAtEnd.toLocaleString('en')} rows still stale when the appends ended: raise --lag-seconds)` : '') + '; no goal',
      };
    } finally {
      await engine.stop();
      await store.close();
      await sql.close();
    }
  } finally {
    await dropTarget(target);
  }
}

/** The definition with each refresh step timed into `steps`. */
function timedRefresh(definition: ProjectionDefinition, steps: { at: number; ms: number; changed: number }[]): ProjectionDefinition {
  const refresh = definition.refresh;
  if (refresh === undefined) return definition;
  return {
    ...definition,
    refresh: {
      intervalMs: refresh.intervalMs,
      run: async (context, cursor) => {
        const at = performance.now();
        const step = await refresh.run(context, cursor);
        steps.push({ at, ms: performance.now() - at, changed: step.changed });
        return step;
      },
    },
  };
}

const STALE_FIT = 'bench-stale';

/** What a refit leaves: every open row scored with a fit that is no longer the current one (through the view, onto the serving generation). Answers how many. */
async function markEveryOpenRowStale(sql: SqlClient): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(`WITH marked AS (UPDATE ${ACCOUNT_HEALTH} SET ltv_fit = $1 WHERE status = 'open' RETURNING 1) SELECT count(*)::int AS n FROM marked`, [STALE_FIT]);
  return rows[0]!.n;
}

async function staleRows(sql: SqlClient): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ACCOUNT_HEALTH} WHERE ltv_fit = $1`, [STALE_FIT]);
  return rows[0]!.n;
}
