import { createHash } from 'node:crypto';
import type { SqlClient, SqlQueryable } from '@ahe/database';
import type { ProjectionContext, ProjectionDefinition } from '../projection.definition';

/** The two copies a verification compares: the live rows as of one checkpoint, and the replay's. */
export type ScratchSide = 'live' | 'replay';

/**
 * Beside the generations, named like them (`account_health__g3`): `account_health__lv` holds
 * the copy of the live rows, `account_health__rv` the replay. The suffixes fit in the room
 * `__g999999` leaves (projection-names.ts), and the DDL derives its index and constraint names
 * from these, so nothing collides with a generation. Fixed names, one verification at a time
 * (an advisory lock): tables a killed run left behind are dropped by the next one.
 */
const SUFFIX: Readonly<Record<ScratchSide, string>> = { live: '__lv', replay: '__rv' };

export function scratchName(table: string, side: ScratchSide): string {
  return `${table}${SUFFIX[side]}`;
}

/** Every scratch table of these projections, both sides. */
export function scratchTableNames(definitions: readonly ProjectionDefinition[]): string[] {
  return definitions.flatMap((definition) => definition.tables.flatMap((table) => [scratchName(table.name, 'live'), scratchName(table.name, 'replay')]));
}

/** The projection's view of one side's scratch tables, exactly as the engine hands it a generation's. */
export function scratchContext(tx: SqlQueryable, definition: ProjectionDefinition, side: ScratchSide, now: Date): ProjectionContext {
  const tables = new Set(definition.tables.map((table) => table.name));
  return {
    tx,
    now,
    table: (name) => {
      if (!tables.has(name)) throw new Error(`projection ${definition.name} has no table ${name}`);
      return scratchName(name, side);
    },
  };
}

/** Both sides' tables from the projection's own DDL: same columns, types, keys and indexes as a generation. */
export async function createScratchTables(sql: SqlClient, definitions: readonly ProjectionDefinition[]): Promise<void> {
  await sql.transaction(async (tx) => {
    for (const definition of definitions) {
      for (const table of definition.tables) {
        await tx.exec(table.ddl(scratchName(table.name, 'live')));
        await tx.exec(table.ddl(scratchName(table.name, 'replay')));
      }
    }
  });
}

export async function dropScratchTables(sql: SqlClient, definitions: readonly ProjectionDefinition[]): Promise<void> {
  const names = scratchTableNames(definitions);
  if (names.length > 0) await sql.exec(`DROP TABLE IF EXISTS ${names.join(', ')}`);
}

/** Scratch tables of these projections that exist now (none, once a verification is over). */
export async function existingScratchTables(sql: SqlQueryable, definitions: readonly ProjectionDefinition[]): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c WHERE c.relname = ANY($1::text[]) AND c.relnamespace = current_schema()::regnamespace ORDER BY 1`,
    [scratchTableNames(definitions)],
  );
  return rows.map((row) => row.name);
}

/** Per schema, like the projections' own locks: verifications of two schemas do not exclude each other. */
export function replayVerifyLockKey(schema: string): bigint {
  return createHash('sha256').update(`ahe.replay-verify:${schema}`).digest().readBigInt64BE(0);
}
