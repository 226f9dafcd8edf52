import type { SqlClient, SqlQueryable } from '@ahe/database';
import { compareCheckpoints } from '@ahe/event-store';
import type { ProjectionDefinition } from '../projection.definition';
import { FencedOutError } from '../runner/runner-errors';
import { pointViews } from './generation-tables';
import { readGenerations, setGenerationStatus, type GenerationRow } from './generation-rows';

export type SwapOutcome =
  | { readonly swapped: true; readonly retired: { readonly generation: number; readonly tables: readonly string[] } | null }
  | { readonly swapped: false; readonly reason: string; readonly held?: true; readonly waitForServing?: true };

/**
 * Makes a caught-up building generation the serving one, in one transaction: statuses and
 * every view. Refused while the serving generation (still live) has applied events the new one
 * has not: queries would see the read model step back in time. Held (swap_held recorded, the
 * generation left building) when, at the serving generation's own checkpoint, it parked events
 * the serving generation did not park: a fault of the new code or of its tables would otherwise
 * swap in a read model missing them, silently. Ahead of the serving generation with such events,
 * it waits for that one to read them. Not guarded: the first generation (nothing to compare
 * with) and one replacing a stale generation (a new version, whose old one stopped reading at
 * the deploy and cannot say what it would have parked since). The caller runs this in turn
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
    const parked = outgoing?.status === 'serving' ? await parkedOnlyBy(tx, definition.name, building, outgoing.generation) : 0;
    if (outgoing && parked > 0) {
      const events = `${parked} event${parked === 1 ? '' : 's'}`;
      // The serving generation may not have read them yet: only at the same checkpoint is the difference certain.
      if (compareCheckpoints(incoming.checkpoint, outgoing.checkpoint) > 0) {
        return { swapped: false, reason: `generation ${building} parked ${events} that generation ${outgoing.generation} has not applied or parked yet`, waitForServing: true } as const;
      }
      const reason = `generation ${building} parked ${events} that generation ${outgoing.generation} did not park: not swapped in`;
      await tx.query('UPDATE projection_generations SET swap_held = $3, updated_at = $4 WHERE name = $1 AND generation = $2', [definition.name, building, reason, new Date()]);
      return { swapped: false, reason, held: true } as const;
    }
    const at = new Date();
    if (outgoing) await setGenerationStatus(tx, definition.name, outgoing.generation, 'retired', at);
    await setGenerationStatus(tx, definition.name, building, 'serving', at);
    await tx.query('UPDATE projection_generations SET caught_up_at = coalesce(caught_up_at, $3) WHERE name = $1 AND generation = $2', [definition.name, building, at]);
    await pointViews(tx, definition, building, outgoing?.tables ?? []);
    return { swapped: true, retired: outgoing ? { generation: outgoing.generation, tables: outgoing.tables } : null } as const;
  });
}

/** Events `building` parked that `serving` did not (it applied them, or has not read them yet). */
async function parkedOnlyBy(tx: SqlQueryable, name: string, building: number, serving: number): Promise<number> {
  const { rows } = await tx.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM projection_parked_events incoming
     WHERE incoming.name = $1 AND incoming.generation = $2 AND NOT EXISTS (
       SELECT 1 FROM projection_parked_events outgoing WHERE outgoing.name = $1 AND outgoing.generation = $3 AND outgoing.event_id = incoming.event_id)`,
    [name, building, serving],
  );
  return Number(rows[0]!.count);
}

/**
 * Whether the swap guard (swapGeneration) can only ever hold `building` back: at or behind the
 * serving generation's checkpoint, the events it parked are events the serving generation has
 * read, and one it did not park it applied, for good. Ahead of it, the serving generation may yet
 * park them too; and a generation replacing a stale one is not guarded at all.
 */
export async function boundToBeHeld(tx: SqlQueryable, building: GenerationRow, serving: GenerationRow | undefined): Promise<boolean> {
  if (serving?.status !== 'serving' || compareCheckpoints(building.checkpoint, serving.checkpoint) > 0) return false;
  return (await parkedOnlyBy(tx, building.name, building.generation, serving.generation)) > 0;
}
