import type { SqlClient, SqlQueryable } from '@ahe/database';
import type { ProjectionDefinition } from '../projection.definition';
import { physicalName } from '../schema/projection-names';

/** Creates every table of a new generation, inside the transaction that records it. */
export async function createGenerationTables(tx: SqlQueryable, definition: ProjectionDefinition, generation: number): Promise<void> {
  for (const table of definition.tables) await tx.exec(table.ddl(physicalName(table.name, generation)));
}

/**
 * Refreshes the planner's statistics of a generation's tables. A generation filled from the
 * start of the log has none until autovacuum comes round (never, where it is off), and a query
 * planned without them guesses: a filter on a 100,000-row table estimated at 500 rows sorts all
 * of them instead of walking an index. Sampled, so it costs a fraction of a second per table.
 */
export async function analyzeGenerationTables(sql: SqlQueryable, definition: ProjectionDefinition, generation: number): Promise<void> {
  await sql.query(`ANALYZE ${definition.tables.map((table) => physicalName(table.name, generation)).join(', ')}`);
}

/**
 * Points each logical name at `generation`, inside the swap's transaction: a reader sees the
 * old complete generation or the new complete one, never a mix and never an empty table.
 * CREATE OR REPLACE keeps views that BI users built on ours; when the shape changed too much
 * for that, the view is dropped and created again (and a dependent view makes the swap fail
 * loudly rather than vanish).
 */
export async function pointViews(tx: SqlQueryable, definition: ProjectionDefinition, generation: number, previousTables: readonly string[]): Promise<void> {
  for (const table of definition.tables) {
    const view = `CREATE OR REPLACE VIEW ${table.name} AS SELECT * FROM ${physicalName(table.name, generation)}`;
    await tx.query('SAVEPOINT ahe_point_view');
    try {
      await tx.query(view);
      await tx.query('RELEASE SAVEPOINT ahe_point_view');
    } catch {
      await tx.query('ROLLBACK TO SAVEPOINT ahe_point_view');
      await tx.query('RELEASE SAVEPOINT ahe_point_view');
      await tx.query(`DROP VIEW IF EXISTS ${table.name}`);
      await tx.query(view);
    }
  }
  const kept = new Set(definition.tables.map((table) => table.name));
  for (const table of previousTables) if (!kept.has(table)) await tx.query(`DROP VIEW IF EXISTS ${table}`);
}

/**
 * Drops a retired (or abandoned) generation's tables and parked events, after the swap has
 * committed: readers that started before it may still be finishing on the old tables, and
 * waiting for them must not hold the views locked.
 */
export async function dropGenerationTables(sql: SqlClient, name: string, generation: number, tables: readonly string[], at: Date): Promise<void> {
  await sql.transaction(async (tx) => {
    for (const table of tables) await tx.query(`DROP TABLE IF EXISTS ${physicalName(table, generation)}`);
    await tx.query('DELETE FROM projection_parked_events WHERE name = $1 AND generation = $2', [name, generation]);
    await tx.query('UPDATE projection_generations SET tables_dropped_at = $3, updated_at = $3 WHERE name = $1 AND generation = $2', [name, generation, at]);
  });
}

/** Generations swapped out (or abandoned) whose tables are still there: a crash came between. */
export async function leftoverGenerations(sql: SqlQueryable, name: string): Promise<Array<{ generation: number; tables: string[] }>> {
  const { rows } = await sql.query<{ generation: number; tables: string[] }>(
    `SELECT generation, tables FROM projection_generations WHERE name = $1 AND status = 'retired' AND tables_dropped_at IS NULL ORDER BY generation`,
    [name],
  );
  return rows;
}
