import type { SqlQueryable } from '@ahe/database';
import type { RebuildProgress } from '../engine/engine-options';
import { readGenerations } from '../generations/generation-rows';
import type { LogProbe } from '../status/log-probe';

export interface RebuildState {
  /** The generation built for the request (or a newer one) serves. */
  readonly done: boolean;
  /** Where the generation being built stands; null before the owner has picked the request up. */
  readonly progress: RebuildProgress | null;
}

/**
 * Reads how far the rebuild answering request `requestId` has got; works from any process.
 * Counting what is left costs a scan of it, hence `withProgress`.
 */
export async function rebuildState(sql: SqlQueryable, probe: LogProbe, name: string, requestId: number, withProgress: boolean): Promise<RebuildState> {
  const { rows } = await sql.query<{ generation: number | null }>('SELECT generation FROM projection_rebuild_requests WHERE id = $1', [requestId]);
  const generation = rows[0]?.generation ?? null;
  if (generation === null) return { done: false, progress: null };
  const generations = await readGenerations(sql, [name], { statuses: ['building', 'serving'] });
  const serving = generations.find((row) => row.status === 'serving');
  if (serving && serving.generation >= generation) return { done: true, progress: null };
  const building = generations.find((row) => row.status === 'building');
  if (!building || !withProgress) return { done: false, progress: null };
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
  };
}
