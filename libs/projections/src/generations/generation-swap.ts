import type { SqlClient } from '@ahe/database';
import { compareCheckpoints } from '@ahe/event-store';
import type { ProjectionDefinition } from '../projection.definition';
import { FencedOutError } from '../runner/runner-errors';
import { pointViews } from './generation-tables';
import { readGenerations, setGenerationStatus } from './generation-rows';

export type SwapOutcome =
  | { readonly swapped: true; readonly retired: { readonly generation: number; readonly tables: readonly string[] } | null }
  | { readonly swapped: false; readonly reason: string };

/**
 * Makes a caught-up building generation the serving one, in one transaction: statuses and
 * every view. Refused while the serving generation (still live) has applied events the new one
 * has not: queries would see the read model step back in time. The caller runs this in turn
 * with the building generation's batches, so its checkpoint cannot move meanwhile; the serving
 * generation's row lock orders the swap after that generation's batch in flight.
 */
export async function swapGeneration(sql: SqlClient, definition: ProjectionDefinition, building: number, ownerToken: string): Promise<SwapOutcome> {
  return sql.transaction(async (tx) => {
    const rows = await readGenerations(tx, [definition.name], { lock: true });
    const incoming = rows.find((row) => row.generation === building);
    if (!incoming || incoming.status !== 'building' || incoming.ownerToken !== ownerToken) throw new FencedOutError(definition.name, building);
    const outgoing = rows.find((row) => row.status === 'serving' || row.status === 'stale');
    if (outgoing?.status === 'serving' && compareCheckpoints(incoming.checkpoint, outgoing.checkpoint) < 0) {
      return { swapped: false, reason: `generation ${outgoing.generation} has applied events that generation ${building} has not yet` } as const;
    }
    const at = new Date();
    if (outgoing) await setGenerationStatus(tx, definition.name, outgoing.generation, 'retired', at);
    await setGenerationStatus(tx, definition.name, building, 'serving', at);
    await tx.query('UPDATE projection_generations SET caught_up_at = coalesce(caught_up_at, $3) WHERE name = $1 AND generation = $2', [definition.name, building, at]);
    await pointViews(tx, definition, building, outgoing?.tables ?? []);
    return { swapped: true, retired: outgoing ? { generation: outgoing.generation, tables: outgoing.tables } : null } as const;
  });
}
