import type { SqlQueryable } from '@ahe/database';

/** A table's columns in their order, from the catalog (tables of the current schema). */
export async function tableColumns(sql: SqlQueryable, table: string): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  if (rows.length === 0) throw new Error(`table ${table} has no columns`);
  return rows.map((row) => row.name);
}

/** The columns of type json, which has no equality operator: compared as jsonb (by value). */
export async function jsonColumns(sql: SqlQueryable, table: string): Promise<Set<string>> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND atttypid = 'json'::regtype`,
    [table],
  );
  return new Set(rows.map((row) => row.name));
}

/** The primary key's columns in key order; empty without one. */
export async function primaryKey(sql: SqlQueryable, table: string): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = $1::regclass AND i.indisprimary
     ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [table],
  );
  return rows.map((row) => row.name);
}
