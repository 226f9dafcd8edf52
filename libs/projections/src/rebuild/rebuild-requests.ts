import type { SqlClient } from '@ahe/database';
import { createGeneration, type Claimant } from '../generations/generation-setup';
import { readGenerations, setGenerationStatus } from '../generations/generation-rows';
import { boundToBeHeld } from '../generations/generation-swap';
import type { ProjectionDefinition } from '../projection.definition';
import { FencedOutError } from '../runner/runner-errors';
import { REBUILD_CHANNEL } from '../schema/projection-schema';

/** A rebuild asked for a projection that is not among the given definitions. */
export class UnknownProjectionError extends Error {
  constructor(readonly projection: string, readonly known: readonly string[]) {
    super(`unknown projection ${JSON.stringify(projection)}; known: ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownProjectionError';
  }
}

export interface RebuildRequestOptions {
  readonly reason?: string;
  /** Who asked (an API key id, `cli`), for the record. */
  readonly requestedBy?: string;
  /** The projections that exist: a name outside them is refused with UnknownProjectionError. */
  readonly definitions?: readonly Pick<ProjectionDefinition, 'name'>[];
  /** Same as `definitions`, by name. */
  readonly names?: readonly string[];
}

export interface RebuildRequest {
  readonly id: number;
  readonly name: string;
  readonly requestedAt: string;
}

const localWakers = new WeakMap<SqlClient, Set<(name: string) => void>>();

/**
 * Records a blue/green rebuild request and wakes the process that owns the projection (NOTIFY,
 * and at once when that is this process). Works from any process: the owner builds the new
 * generation while the old one serves, and swaps when it has caught up.
 */
export async function requestRebuild(sql: SqlClient, name: string, options: RebuildRequestOptions = {}): Promise<RebuildRequest> {
  const known = options.definitions?.map((definition) => definition.name) ?? options.names;
  if (known && !known.includes(name)) throw new UnknownProjectionError(name, known);
  const request = await sql.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; requested_at: Date }>(
      `INSERT INTO projection_rebuild_requests (name, reason, requested_by) VALUES ($1, $2, $3) RETURNING id::text, requested_at`,
      [name, options.reason ?? null, options.requestedBy ?? null],
    );
    // Delivered at commit, so the owner cannot look before the request is there.
    await tx.query('SELECT pg_notify($1, $2)', [REBUILD_CHANNEL, name]);
    return { id: Number(rows[0]!.id), name, requestedAt: rows[0]!.requested_at.toISOString() };
  });
  for (const wake of localWakers.get(sql) ?? []) wake(name);
  return request;
}

/** Calls `wake(name)` when a rebuild is requested, from this process or (through NOTIFY) another. */
export async function onRebuildRequested(sql: SqlClient, wake: (name: string) => void): Promise<() => Promise<void>> {
  let wakers = localWakers.get(sql);
  if (!wakers) localWakers.set(sql, (wakers = new Set()));
  wakers.add(wake);
  // PGlite is this process: the in-process call above already covers it.
  const unlisten = sql.kind === 'postgres' ? await sql.listen(REBUILD_CHANNEL, wake) : async () => undefined;
  return async () => {
    wakers.delete(wake);
    await unlisten();
  };
}

/**
 * The owner's side: answers the open requests for a projection with a building generation,
 * starting one unless one is already building (the requests then join it). A building generation
 * held back for its parked events (swap_held), or bound to be (boundToBeHeld: it parked events
 * the serving generation applied), is retired instead, its tables left for the owner to drop: it
 * can never be swapped in, and asking again is how an operator who fixed the cause goes on. With
 * requests open, the answer runs through `inTurn`: the owner runs it in turn with the building
 * generation's batches, and stops that generation's runner when a new generation was started.
 * Resolves to the generation started, or null when none was needed.
 */
export async function takeRebuildRequests(
  sql: SqlClient,
  definition: ProjectionDefinition,
  claimant: Claimant,
  inTurn: (answer: () => Promise<number | null>) => Promise<number | null> = (answer) => answer(),
): Promise<number | null> {
  const { rows: open } = await sql.query<{ id: string }>('SELECT id::text FROM projection_rebuild_requests WHERE name = $1 AND handled_at IS NULL', [definition.name]);
  if (open.length === 0) return null;
  return inTurn(() => answerRebuildRequests(sql, definition, claimant));
}

async function answerRebuildRequests(sql: SqlClient, definition: ProjectionDefinition, claimant: Claimant): Promise<number | null> {
  return sql.transaction(async (tx) => {
    const rows = await readGenerations(tx, [definition.name], { lock: true });
    // A process that lost the projection without knowing yet must not retire its new owner's build.
    const current = rows.find((row) => row.status === 'serving' || row.status === 'stale');
    if (current && current.ownerToken !== claimant.ownerToken) throw new FencedOutError(definition.name, current.generation);
    let building = rows.find((row) => row.status === 'building');
    const serving = rows.find((row) => row.status === 'serving');
    if (building && (building.swapHeld || (await boundToBeHeld(tx, building, serving)))) {
      await setGenerationStatus(tx, definition.name, building.generation, 'retired', new Date());
      building = undefined;
    }
    const generation = building?.generation ?? (await createGeneration(tx, definition, 'building', claimant));
    await tx.query(
      `UPDATE projection_rebuild_requests SET handled_at = now(), generation = $2 WHERE name = $1 AND handled_at IS NULL`,
      [definition.name, generation],
    );
    return building ? null : generation;
  });
}
