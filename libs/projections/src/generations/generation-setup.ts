import type { SqlClient, SqlQueryable } from '@ahe/database';
import type { ProjectionDefinition } from '../projection.definition';
import { createGenerationTables, pointViews } from './generation-tables';
import { insertGeneration, nextGenerationNumber, readGenerations, setGenerationStatus, type GenerationRow } from './generation-rows';

export interface Claimant {
  readonly owner: string;
  readonly ownerToken: string;
}

/** What the new owner of a projection runs: the serving generation (unless frozen) and a building one. */
export interface GenerationPlan {
  readonly serving: GenerationRow;
  readonly building: GenerationRow | null;
}

/** A new generation with its tables, in the caller's transaction. */
export async function createGeneration(
  tx: SqlQueryable,
  definition: ProjectionDefinition,
  status: 'building' | 'serving',
  claimant: Claimant,
): Promise<number> {
  const generation = await nextGenerationNumber(tx, definition.name);
  await createGenerationTables(tx, definition, generation);
  const tables = definition.tables.map((table) => table.name);
  await insertGeneration(tx, { name: definition.name, generation, version: definition.version, status, tables, ...claimant, at: new Date() });
  return generation;
}

/**
 * Takes over a projection's generations for a new lease, in one transaction, and settles what
 * the code in this process implies:
 * - nothing yet: a first generation that serves at once (there is nothing older to serve, so
 *   its views exist from the start and fill as it catches up);
 * - a serving generation of another version: frozen as `stale` (this code must not write into
 *   tables of another shape) and kept serving while a generation of this version is built;
 * - a building generation of another version: abandoned; one of this version is resumed from
 *   its checkpoint, since a crash during a rebuild need not start it again;
 * - a stale generation of this very version (a rollback): serving and live again.
 */
export async function claimGenerations(sql: SqlClient, definition: ProjectionDefinition, claimant: Claimant): Promise<GenerationPlan> {
  return sql.transaction(async (tx) => {
    const rows = await readGenerations(tx, [definition.name], { lock: true });
    const at = new Date();
    let serving = rows.find((row) => row.status === 'serving' || row.status === 'stale');
    let building = rows.find((row) => row.status === 'building');
    if (building && (!serving || building.version !== definition.version)) {
      await setGenerationStatus(tx, definition.name, building.generation, 'retired', at);
      building = undefined;
    }
    if (!serving) {
      const generation = await createGeneration(tx, definition, 'serving', claimant);
      await pointViews(tx, definition, generation, []);
    } else if (serving.version === definition.version) {
      if (serving.status === 'stale') await setGenerationStatus(tx, definition.name, serving.generation, 'serving', at);
    } else {
      if (serving.status === 'serving') await setGenerationStatus(tx, definition.name, serving.generation, 'stale', at);
      if (!building) await createGeneration(tx, definition, 'building', claimant);
    }
    await tx.query(
      `UPDATE projection_generations SET owner = $2, owner_token = $3, heartbeat_at = $4, updated_at = $4
       WHERE name = $1 AND status IN ('serving', 'stale', 'building')`,
      [definition.name, claimant.owner, claimant.ownerToken, at],
    );
    const claimed = await readGenerations(tx, [definition.name]);
    serving = claimed.find((row) => row.status === 'serving' || row.status === 'stale')!;
    building = claimed.find((row) => row.status === 'building');
    return { serving, building: building ?? null };
  });
}
