import type { SqlQueryable } from '@ahe/database';
import type { Checkpoint } from '@ahe/event-store';

export type GenerationStatus = 'building' | 'serving' | 'stale' | 'retired';

/** One row of projection_generations, as the engine uses it. */
export interface GenerationRow {
  readonly name: string;
  readonly generation: number;
  readonly version: string;
  readonly status: GenerationStatus;
  readonly tables: readonly string[];
  readonly checkpoint: Checkpoint;
  readonly position: number | null;
  readonly eventsProcessed: number;
  readonly eventsPerSecond: number;
  readonly owner: string | null;
  readonly ownerToken: string | null;
  readonly heartbeatAt: Date | null;
  readonly startedAt: Date;
  readonly lastBatchAt: Date | null;
  readonly caughtUpAt: Date | null;
  readonly swappedAt: Date | null;
  readonly tablesDroppedAt: Date | null;
  readonly lastError: string | null;
  /** Why the generation, caught up, was not swapped in (it parked events the serving one did not); null when nothing holds it. */
  readonly swapHeld: string | null;
}

interface RawRow {
  name: string;
  generation: number;
  version: string;
  status: GenerationStatus;
  tables: string[];
  checkpoint_commit: string;
  checkpoint_prepare: string;
  position: string | null;
  events_processed: string;
  events_per_second: number;
  owner: string | null;
  owner_token: string | null;
  heartbeat_at: Date | null;
  started_at: Date;
  last_batch_at: Date | null;
  caught_up_at: Date | null;
  swapped_at: Date | null;
  tables_dropped_at: Date | null;
  last_error: string | null;
  swap_held: string | null;
}

const COLUMNS = `name, generation, version, status, tables, checkpoint_commit::text, checkpoint_prepare::text,
  position::text, events_processed::text, events_per_second, owner, owner_token, heartbeat_at, started_at,
  last_batch_at, caught_up_at, swapped_at, tables_dropped_at, last_error, swap_held`;

function toRow(raw: RawRow): GenerationRow {
  return {
    name: raw.name,
    generation: raw.generation,
    version: raw.version,
    status: raw.status,
    tables: raw.tables,
    checkpoint: { commit: BigInt(raw.checkpoint_commit), prepare: BigInt(raw.checkpoint_prepare) },
    position: raw.position === null ? null : Number(raw.position),
    eventsProcessed: Number(raw.events_processed),
    eventsPerSecond: Number(raw.events_per_second),
    owner: raw.owner,
    ownerToken: raw.owner_token,
    heartbeatAt: raw.heartbeat_at,
    startedAt: raw.started_at,
    lastBatchAt: raw.last_batch_at,
    caughtUpAt: raw.caught_up_at,
    swappedAt: raw.swapped_at,
    tablesDroppedAt: raw.tables_dropped_at,
    lastError: raw.last_error,
    swapHeld: raw.swap_held,
  };
}

/** Generations of the given projections, oldest first; `lock` takes their row locks (in a transaction). */
export async function readGenerations(
  db: SqlQueryable,
  names: readonly string[],
  options: { statuses?: readonly GenerationStatus[]; lock?: boolean } = {},
): Promise<GenerationRow[]> {
  const statuses = options.statuses ?? ['building', 'serving', 'stale'];
  const { rows } = await db.query<RawRow>(
    `SELECT ${COLUMNS} FROM projection_generations
     WHERE name = ANY($1::text[]) AND status = ANY($2::text[])
     ORDER BY name, generation${options.lock ? ' FOR UPDATE' : ''}`,
    [names, statuses],
  );
  return rows.map(toRow);
}

export async function nextGenerationNumber(tx: SqlQueryable, name: string): Promise<number> {
  const { rows } = await tx.query<{ next: number }>('SELECT coalesce(max(generation), 0) + 1 AS next FROM projection_generations WHERE name = $1', [name]);
  return rows[0]!.next;
}

export interface NewGeneration {
  readonly name: string;
  readonly generation: number;
  readonly version: string;
  readonly status: 'building' | 'serving';
  readonly tables: readonly string[];
  readonly owner: string;
  readonly ownerToken: string;
  readonly at: Date;
}

export async function insertGeneration(tx: SqlQueryable, generation: NewGeneration): Promise<void> {
  await tx.query(
    `INSERT INTO projection_generations (name, generation, version, status, tables, owner, owner_token, heartbeat_at, started_at, updated_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $8, $8)`,
    [generation.name, generation.generation, generation.version, generation.status, generation.tables, generation.owner, generation.ownerToken, generation.at],
  );
}

export async function setGenerationStatus(tx: SqlQueryable, name: string, generation: number, status: GenerationStatus, at: Date): Promise<void> {
  const stamp = status === 'retired' ? ', retired_at = $4' : status === 'serving' ? ', swapped_at = coalesce(swapped_at, $4)' : '';
  await tx.query(`UPDATE projection_generations SET status = $3, updated_at = $4${stamp} WHERE name = $1 AND generation = $2`, [name, generation, status, at]);
}

/** Best effort: what the owner could not get past, for GET /v1/projections. */
export async function recordGenerationError(db: SqlQueryable, name: string, generation: number, error: string | null, at: Date): Promise<void> {
  await db.query(
    `UPDATE projection_generations SET last_error = $3, last_error_at = CASE WHEN $3::text IS NULL THEN last_error_at ELSE $4 END, updated_at = $4
     WHERE name = $1 AND generation = $2`,
    [name, generation, error, at],
  );
}
