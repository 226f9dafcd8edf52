import { quoteIdentifier, type SqlClient, type SqlQueryable } from '@ahe/database';
import type { Checkpoint } from '@ahe/event-store';
import { readGenerations } from '../generations/generation-rows';
import type { ProjectionDefinition } from '../projection.definition';
import { physicalName } from '../schema/projection-names';
import { stopIfAsked } from './replay-errors';
import type { ParkedRecord } from './replay-report';
import { scratchName } from './scratch-tables';
import { tableColumns } from './table-catalog';

/** The live generation of a projection as one snapshot saw it. */
export interface LiveGeneration {
  readonly generation: number;
  readonly version: string;
  readonly status: string;
  readonly checkpoint: Checkpoint;
  readonly parked: readonly ParkedRecord[];
}

/** Pages copied per transaction on PostgreSQL: a few megabytes, so no copy transaction is long. */
const CHUNK_PAGES = 512;

/**
 * Reads each projection's serving generation (checkpoint, parked events) and copies its rows
 * into the `__lv` scratch tables, all as of ONE snapshot: a batch commits a generation's rows
 * with its checkpoint, so the copy is exactly the read model at that checkpoint however far the
 * live projector moves meanwhile. Only generations of the definition's own version are copied
 * (another version's rows are not comparable).
 *
 * On PostgreSQL the snapshot is held by a read-only transaction (no transaction id, so readers
 * of the log do not wait on it) and exported; the copy runs in short transactions that import
 * it, chunk by chunk of the physical table: a writing transaction held open for the whole copy
 * would hold every log reader back for as long (ADR 0002). Embedded, no other process writes
 * (the data folder has one owner): one transaction does it all.
 */
export async function snapshotLive(
  sql: SqlClient,
  definitions: readonly ProjectionDefinition[],
  signal?: AbortSignal,
): Promise<Map<string, LiveGeneration | null>> {
  if (sql.kind === 'embedded') {
    return sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const live = await readLive(tx, definitions);
      for (const copy of copiesOf(definitions, live)) await tx.query(await copySql(tx, copy));
      return live;
    });
  }
  return sql.transaction(async (snapshot) => {
    await snapshot.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const live = await readLive(snapshot, definitions);
    const { rows } = await snapshot.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const id = rows[0]!.id;
    if (!/^[0-9A-F-]+$/i.test(id)) throw new Error(`unexpected snapshot id ${id}`);
    for (const copy of copiesOf(definitions, live)) {
      const insert = await copySql(snapshot, copy);
      const { rows: sized } = await snapshot.query<{ pages: number }>(
        `SELECT ceil(pg_relation_size($1::regclass)::numeric / current_setting('block_size')::int)::int AS pages`,
        [copy.from],
      );
      for (let page = 0; page < sized[0]!.pages; page += CHUNK_PAGES) {
        await stopIfAsked(signal);
        await sql.transaction(async (tx) => {
          await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
          await tx.query(`SET TRANSACTION SNAPSHOT '${id}'`);
          await tx.query(`${insert} WHERE ctid >= '(${page},0)'::tid AND ctid < '(${page + CHUNK_PAGES},0)'::tid`);
        });
        // The exporting transaction must not sit idle past the pool's idle-in-transaction timeout.
        await snapshot.query('SELECT 1');
      }
    }
    return live;
  });
}

interface Copy {
  readonly from: string;
  readonly to: string;
}

function copiesOf(definitions: readonly ProjectionDefinition[], live: Map<string, LiveGeneration | null>): Copy[] {
  return definitions.flatMap((definition) => {
    const generation = live.get(definition.name);
    if (!generation || generation.version !== definition.version) return [];
    return definition.tables.map((table) => ({ from: physicalName(table.name, generation.generation), to: scratchName(table.name, 'live') }));
  });
}

/** Named columns, not `*`: a column order that drifted between DDL versions must fail, not shift values. */
async function copySql(tx: SqlQueryable, copy: Copy): Promise<string> {
  const columns = (await tableColumns(tx, copy.to)).map(quoteIdentifier).join(', ');
  return `INSERT INTO ${copy.to} (${columns}) SELECT ${columns} FROM ${copy.from}`;
}

async function readLive(tx: SqlQueryable, definitions: readonly ProjectionDefinition[]): Promise<Map<string, LiveGeneration | null>> {
  const rows = await readGenerations(tx, definitions.map((definition) => definition.name), { statuses: ['serving', 'stale'] });
  const live = new Map<string, LiveGeneration | null>();
  for (const definition of definitions) {
    const row = rows.find((candidate) => candidate.name === definition.name);
    if (!row) {
      live.set(definition.name, null);
      continue;
    }
    const { rows: parked } = await tx.query<{ event_id: string; global_position: string; stream_id: string; revision: string; type: string; error: string }>(
      `SELECT event_id, global_position::text, stream_id, revision::text, type, error FROM projection_parked_events
       WHERE name = $1 AND generation = $2 ORDER BY projection_parked_events.global_position`,
      [definition.name, row.generation],
    );
    live.set(definition.name, {
      generation: row.generation,
      version: row.version,
      status: row.status,
      checkpoint: row.checkpoint,
      parked: parked.map((event) => ({
        eventId: event.event_id,
        globalPosition: Number(event.global_position),
        streamId: event.stream_id,
        revision: Number(event.revision),
        type: event.type,
        error: event.error,
      })),
    });
  }
  return live;
}
