import type { SqlQueryable } from '@ahe/database';
import type { RebuildProgress } from '../engine/engine-options';
import { readGenerations, type GenerationRow } from '../generations/generation-rows';
import type { LogProbe } from '../status/log-probe';

export interface RebuildState {
  /** The generation built for the request (or a newer one) serves. */
  readonly done: boolean;
  /** Where the generation being built stands; null before the owner has picked the request up. */
  readonly progress: RebuildProgress | null;
  /** What the generation being built last failed on, if no batch has committed since. */
  readonly failure: GenerationFailure | null;
  /** Why the generation built for the request was held back from its swap; it never will swap in. */
  readonly held: { readonly generation: number; readonly reason: string } | null;
}

/**
 * A failure of a generation, as its owner records it (last_error): one it could not get past,
 * not an outage, which it only logs (RunnerRestarts). A batch that commits clears it.
 */
export interface GenerationFailure {
  readonly generation: number;
  readonly error: string;
  readonly at: Date;
  /** The generation's count when it failed: the same for two failures with no batch committed between them. */
  readonly eventsProcessed: number;
}

/**
 * Reads how far the rebuild answering request `requestId` has got; works from any process.
 * Counting what is left costs a scan of it, hence `withProgress`.
 */
export async function rebuildState(sql: SqlQueryable, probe: LogProbe, name: string, requestId: number, withProgress: boolean): Promise<RebuildState> {
  const { rows } = await sql.query<{ generation: number | null }>('SELECT generation FROM projection_rebuild_requests WHERE id = $1', [requestId]);
  const generation = rows[0]?.generation ?? null;
  if (generation === null) return { done: false, progress: null, failure: null, held: null };
  const generations = await readGenerations(sql, [name], { statuses: ['building', 'serving'] });
  const serving = generations.find((row) => row.status === 'serving');
  if (serving && serving.generation >= generation) return { done: true, progress: null, failure: null, held: null };
  const building = generations.find((row) => row.status === 'building');
  if (!building) return { done: false, progress: null, failure: null, held: null };
  if (building.swapHeld) return { done: false, progress: null, failure: null, held: { generation: building.generation, reason: building.swapHeld } };
  const failure = building.lastError === null ? null : await lastFailure(sql, building);
  if (!withProgress) return { done: false, progress: null, failure, held: null };
  const [pending, head] = await Promise.all([probe.pending(building.checkpoint), probe.head(building.checkpoint)]);
  return {
    done: false,
    progress: {
      generation: building.generation,
      position: building.position ?? 0,
      head: head?.position ?? 0,
      eventsProcessed: building.eventsProcessed,
      eventsTotal: building.eventsProcessed + pending.events,
    },
    failure,
    held: null,
  };
}

/** Read again as one row: the failure may have been cleared, or recorded anew, since `row` was read. */
async function lastFailure(sql: SqlQueryable, row: GenerationRow): Promise<GenerationFailure | null> {
  const { rows } = await sql.query<{ error: string | null; at: Date | null; events_processed: string }>(
    'SELECT last_error AS error, last_error_at AS at, events_processed::text FROM projection_generations WHERE name = $1 AND generation = $2',
    [row.name, row.generation],
  );
  const found = rows[0];
  if (!found?.error || !found.at) return null;
  return { generation: row.generation, error: found.error, at: found.at, eventsProcessed: Number(found.events_processed) };
}
