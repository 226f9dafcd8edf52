import type { SqlClient, SqlQueryable } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import { eventStoreOn, type EventEnvelope, type EventStore } from '@ahe/event-store';
import { ltvFitsSettled } from './ltv-models.refit';
import { ltvModelsProjection } from './ltv-models.projection';
import type { LtvHistory } from './ltv.types';

export const NOW = new Date('2025-06-10T12:00:00.000Z');
export const WALL = new Date('2030-01-01T00:00:00.000Z');
export const REFIT_INTERVAL_MS = 60_000;

export interface LtvHarness {
  readonly sql: () => SqlClient;
  readonly store: () => EventStore;
}

export interface SeededLtvHarness extends LtvHarness {
  readonly events: () => readonly EventEnvelope[];
}

/** The demo portfolio (40 accounts over two years, contractual and not) appended to a real store, and its events as read back. */
export function ltvHarness(open: () => Promise<SqlClient>): SeededLtvHarness {
  let sql: SqlClient;
  let store: EventStore;
  const events: EventEnvelope[] = [];
  beforeAll(async () => {
    sql = await open();
    store = await eventStoreOn(sql);
    await seedPortfolio(store, { accounts: 40, years: 2, seed: 11, endsAt: '2025-06-01T00:00:00.000Z' });
    for (let batch = await store.readAll({ limit: 1000 }); batch.events.length > 0; batch = await store.readAll({ after: batch.checkpoint, limit: 1000 })) {
      events.push(...batch.events);
    }
  });
  return { sql: () => sql, store: () => store, events: () => events };
}

/** Runs a refresh; when it wrote nothing, waits for a fit it started (on its worker thread) and runs the next tick. */
export async function refitTicks(tick: () => Promise<number>): Promise<number> {
  const first = await tick();
  if (first > 0) return first;
  await new Promise((resolve) => setTimeout(resolve, 0));
  await ltvFitsSettled();
  return tick();
}

/**
 * The projection on the harness's database, its wall clock `clock`, and the steps its specs take
 * with it: projecting by calling `apply` and `refresh` the way the engine does, into tables under
 * a prefix (logical names when empty, for the query that reads the view's name).
 */
export function ltvProjector(harness: LtvHarness, clock: () => Date) {
  const definition = ltvModelsProjection({ refitIntervalMs: REFIT_INTERVAL_MS, clock });
  const context = (tx: SqlQueryable, prefix: string, now: Date) => ({ tx, table: (name: string) => `${prefix}${name}`, now });
  const apply = (prefix: string, batch: readonly EventEnvelope[]) => harness.sql().transaction((tx) => definition.apply(batch, context(tx, prefix, NOW)));
  // A refit takes two ticks: one reads the accounts, the fit runs after its commit, the next writes it.
  const refresh = (prefix: string, now: Date) => refitTicks(() => harness.sql().transaction((tx) => definition.refresh!.run(context(tx, prefix, now)).then((step) => step.changed)));
  const createTables = async (prefix: string) => {
    for (const table of definition.tables) await harness.sql().exec(table.ddl(`${prefix}${table.name}`));
  };
  async function applyAll(prefix: string, events: readonly EventEnvelope[], batchSize: number): Promise<void> {
    for (let start = 0; start < events.length; start += batchSize) await apply(prefix, events.slice(start, start + batchSize));
  }
  async function project(prefix: string, events: readonly EventEnvelope[], batchSize: number): Promise<void> {
    await createTables(prefix);
    await applyAll(prefix, events, batchSize);
  }
  const customers = async (prefix: string) =>
    (await harness.sql().query<{ account_id: string; segment: string; kind: string; history: LtvHistory; revision: number; position: number; updated_at: Date }>(
      `SELECT account_id, segment, kind, history, revision, position::float8 AS position, updated_at FROM ${prefix}ltv_customers ORDER BY account_id`,
    )).rows;
  return { definition, context, apply, refresh, createTables, applyAll, project, customers };
}
