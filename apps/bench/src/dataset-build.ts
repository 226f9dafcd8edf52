import { performance } from 'node:perf_hooks';
import type { SqlClient } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import type { EventStore } from '@ahe/event-store';
import { ProjectionEngine } from '@ahe/projections';
import { loadScoringRules, readModelProjections } from '@ahe/read-models';

// The bench data set's two long steps (dataset.ts): seeding its log, then projecting it.

/** Events per batch while the read models are first built from the seeded log. */
const SEED_BATCH_SIZE = 10_000;

/** Through the importer (validation, then appends of whole accounts, 8 at a time): the fastest public path. */
export async function seedLog(store: EventStore, params: { accounts: number; years: number; seed: number; endsAt: string }, log: (line: string) => void): Promise<number> {
  log(`data set: seeding ${params.accounts.toLocaleString('en')} demo accounts × ${params.years} years…`);
  const started = performance.now();
  let lastReport = 0;
  const result = await seedPortfolio(store, params, {
    now: params.endsAt,
    batchSize: 1000,
    concurrency: 8,
    onProgress: ({ phase, done, total }) => {
      const now = performance.now();
      if (now - lastReport < 2_000) return;
      lastReport = now;
      const seconds = (now - started) / 1000;
      log(`data set: ${phase} ${done.toLocaleString('en')}${total === null ? '' : ` / ${total.toLocaleString('en')}`} (${seconds.toFixed(0)} s)`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  log(`data set: seeded ${result.events.toLocaleString('en')} events in ${seconds.toFixed(0)} s (${(result.events / seconds).toFixed(0)} events/s)`);
  return result.events;
}

/** Runs every read model's projection to the head of the log, as the projector would on a fresh database. */
export async function buildReadModels(sql: SqlClient, store: EventStore, events: number, log: (line: string) => void): Promise<void> {
  const definitions = readModelProjections({ rules: loadScoringRules(), healthRefreshIntervalMs: 3_600_000, ltvRefitIntervalMs: 3_600_000 });
  // A first catch-up runs serving generations, which take the live batch size: the rebuild's
  // (the most one readAll returns) makes it about as fast as a rebuild, since no reader waits.
  const engine = new ProjectionEngine({ sql, store, definitions, batchSize: SEED_BATCH_SIZE });
  const started = performance.now();
  log(`data set: projecting ${events.toLocaleString('en')} events into ${definitions.map((definition) => definition.name).join(', ')}…`);
  await engine.start();
  // From the engine's bookkeeping row, not ownedLag(): counting the events left scans the log.
  const progress = setInterval(() => {
    void sql.query<{ position: string }>('SELECT min(position)::text AS position FROM projection_generations').then(({ rows }) => {
      log(`data set: projections at position ${Number(rows[0]?.position ?? 0).toLocaleString('en')} of ${events.toLocaleString('en')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }, () => undefined);
  }, 10_000);
  try {
    await engine.waitUntilCaughtUp(3_600_000);
  } finally {
    clearInterval(progress);
    await engine.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  log(`data set: read models built in ${seconds.toFixed(0)} s (${(events / seconds).toFixed(0)} events/s)`);
}
