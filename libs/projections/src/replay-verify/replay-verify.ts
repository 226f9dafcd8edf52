import type { SqlClient } from '@ahe/database';
import { formatCheckpoint, type EventStore } from '@ahe/event-store';
import { DEFAULT_BATCH_SIZE } from '../engine/engine-options';
import { refreshToEnd, type ProjectionDefinition } from '../projection.definition';
import { assertValidDefinitions } from '../schema/projection-names';
import { ensureProjectionSchema } from '../schema/projection-schema';
import { logProbe } from '../status/log-probe';
import { snapshotLive, type LiveGeneration } from './live-snapshot';
import { diffParked } from './parked-diff';
import { COMPARE_EVERYTHING, notCompared, type ReplayComparison } from './replay-comparison';
import { ReplayVerifyBusyError, stopIfAsked } from './replay-errors';
import { parkedIdentical, tableIdentical, type ProjectionVerdict, type ReplayVerifyReport } from './replay-report';
import { replayIntoScratch, type ScratchReplay } from './scratch-replay';
import { createScratchTables, dropScratchTables, replayVerifyLockKey, scratchContext, scratchName } from './scratch-tables';
import { diffTable } from './table-diff';

export interface ReplayVerifyOptions {
  readonly sql: SqlClient;
  readonly store: EventStore;
  /** The projections to verify, as the live processes define them (same code, same rules). */
  readonly definitions: readonly ProjectionDefinition[];
  readonly comparison?: ReplayComparison;
  /** The engine's batch size, for definitions without their own. Default 500, as the engine's. */
  readonly batchSize?: number;
  /** Differences listed per table and kind (the rest are counted). Default 10. */
  readonly maxRows?: number;
  readonly clock?: () => Date;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  readonly name: string;
  readonly eventsReplayed: number;
  /** Events up to the live checkpoint: where this projection's replay ends. */
  readonly eventsTotal: number;
}

/**
 * Proves the live read models are what the log and the projection code make of it: copies
 * every live table as of the live checkpoint (one snapshot), replays the log up to that same
 * checkpoint into scratch tables, re-scores time-based values on both sides at one instant
 * (`comparison.refreshedAtOneInstant`) and compares them row by row. The live generations are
 * only read. The scratch tables are dropped at the end, whatever happens (an interruption
 * through `signal` included); a run killed outright leaves them to the next run, which drops
 * them first.
 */
export async function verifyReplay(options: ReplayVerifyOptions): Promise<ReplayVerifyReport> {
  const { sql, definitions } = options;
  assertValidDefinitions(definitions);
  const maxRows = options.maxRows ?? 10;
  if (!(Number.isSafeInteger(maxRows) && maxRows > 0)) throw new RangeError('maxRows must be a positive integer');
  await ensureProjectionSchema(sql);
  const { rows } = await sql.query<{ schema: string }>('SELECT current_schema() AS schema');
  const schema = rows[0]!.schema;
  const lease = await sql.tryAdvisoryLock(replayVerifyLockKey(schema));
  if (lease === null) throw new ReplayVerifyBusyError(schema);
  try {
    await dropScratchTables(sql, definitions);
    await createScratchTables(sql, definitions);
    let report: ReplayVerifyReport;
    try {
      report = await verifyIn({ ...options, maxRows });
    } catch (error) {
      // What went wrong first is what the caller must see, not a failed clean-up after it.
      await dropScratchTables(sql, definitions).catch(() => undefined);
      throw error;
    }
    await dropScratchTables(sql, definitions);
    return report;
  } finally {
    await lease.release();
  }
}

async function verifyIn(options: ReplayVerifyOptions & { readonly maxRows: number }): Promise<ReplayVerifyReport> {
  const { sql, store, definitions, signal } = options;
  const comparison = options.comparison ?? COMPARE_EVERYTHING;
  const clock = options.clock ?? (() => new Date());
  const live = await snapshotLive(sql, definitions, signal);
  const probe = logProbe(store, sql);
  const pastEnd = await probe.pending({ commit: 0n, prepare: 0n });

  const replays = new Map<string, ScratchReplay>();
  for (const definition of definitions) {
    const generation = live.get(definition.name);
    if (!generation || unverifiable(definition, generation)) continue;
    const eventsTotal = pastEnd.events - (await probe.pending(generation.checkpoint)).events;
    options.onProgress?.({ name: definition.name, eventsReplayed: 0, eventsTotal });
    replays.set(definition.name, await replayIntoScratch({
      sql, store, definition, clock, signal,
      head: generation.checkpoint,
      batchSize: definition.batchSize ?? options.batchSize ?? DEFAULT_BATCH_SIZE,
      onBatch: (eventsReplayed) => options.onProgress?.({ name: definition.name, eventsReplayed, eventsTotal }),
    }));
  }

  await stopIfAsked(signal);
  const comparedAt = clock();
  const rescored = await refreshBothSides(sql, definitions.filter((definition) => replays.has(definition.name) && comparison.refreshedAtOneInstant.includes(definition.name)), comparedAt);

  const projections: ProjectionVerdict[] = [];
  for (const definition of definitions) {
    await stopIfAsked(signal);
    const generation = live.get(definition.name) ?? null;
    const replay = replays.get(definition.name);
    const tables = [];
    if (replay) {
      for (const table of definition.tables) {
        if (comparison.ignoredTables[table.name] !== undefined) continue;
        tables.push(await diffTable(sql, {
          table: table.name,
          live: scratchName(table.name, 'live'),
          replay: scratchName(table.name, 'replay'),
          ignored: new Set(Object.keys(comparison.ignoredColumns[table.name] ?? {})),
          maxRows: options.maxRows,
        }));
      }
    }
    const parked = diffParked(generation?.parked ?? [], replay?.parked ?? [], options.maxRows);
    const reason = generation === null ? 'no live generation: the projection has never run on this database' : unverifiable(definition, generation);
    projections.push({
      name: definition.name,
      version: definition.version,
      unverifiable: reason,
      generation: generation?.generation ?? null,
      checkpoint: generation ? formatCheckpoint(generation.checkpoint) : null,
      eventsPastCheckpoint: generation ? (await probe.pending(generation.checkpoint)).events : pastEnd.events,
      eventsReplayed: replay?.events ?? 0,
      replaySeconds: replay?.seconds ?? 0,
      rescored: rescored.get(definition.name) ?? null,
      tables,
      parked,
      identical: reason === null && tables.every(tableIdentical) && parkedIdentical(parked),
    });
  }
  return {
    identical: projections.every((projection) => projection.identical),
    comparedAt: comparedAt.toISOString(),
    projections,
    notCompared: notCompared(comparison, definitions.flatMap((definition) => definition.tables.map((table) => table.name))),
  };
}

function unverifiable(definition: ProjectionDefinition, generation: LiveGeneration): string | null {
  if (generation.version === definition.version) return null;
  return `the live generation ${generation.generation} (${generation.status}) was built by version ${generation.version}, this code is ${definition.version}: ` +
    'run the version that built it, or rebuild it first';
}

/**
 * One transaction, one instant, for both sides: whatever the refresh reads besides its own
 * tables (the LTV fit through its view) is then the same for both, even if it changes meanwhile.
 */
async function refreshBothSides(sql: SqlClient, definitions: readonly ProjectionDefinition[], at: Date): Promise<Map<string, { live: number; replay: number }>> {
  const rescored = new Map<string, { live: number; replay: number }>();
  const refreshed = definitions.filter((definition) => definition.refresh !== undefined);
  if (refreshed.length === 0) return rescored;
  await sql.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    for (const definition of refreshed) {
      // Every step in this one transaction: both sides see the same instant and the same fit.
      const live = await refreshToEnd((cursor) => definition.refresh!.run(scratchContext(tx, definition, 'live', at), cursor));
      const replay = await refreshToEnd((cursor) => definition.refresh!.run(scratchContext(tx, definition, 'replay', at), cursor));
      rescored.set(definition.name, { live, replay });
    }
  });
  return rescored;
}
