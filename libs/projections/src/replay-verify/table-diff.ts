import { quoteIdentifier, type SqlQueryable } from '@ahe/database';
import type { DifferingRow, Listed, TableDiff, UnmatchedRow } from './replay-report';
import { jsonColumns, primaryKey, tableColumns } from './table-catalog';

export interface TableDiffOptions {
  readonly table: string;
  readonly live: string;
  readonly replay: string;
  readonly ignored: ReadonlySet<string>;
  readonly maxRows: number;
}

/**
 * Compares two tables of one DDL row by row, in SQL (tables too large for memory stay there):
 * matched on the primary key, rows only on one side, and rows whose compared columns differ
 * (`IS DISTINCT FROM`, so null equals null; numbers, dates, json and jsonb by value). Without a primary
 * key, whole rows are the key and every difference is a row only on one side.
 */
export async function diffTable(sql: SqlQueryable, options: TableDiffOptions): Promise<TableDiff> {
  const { live, replay, maxRows } = options;
  const columns = await tableColumns(sql, replay);
  const compared = columns.filter((column) => !options.ignored.has(column));
  const declared = await primaryKey(sql, replay);
  const key = declared.length > 0 ? declared : compared;
  const values = compared.filter((column) => !key.includes(column));
  const q = quoteIdentifier;
  const json = await jsonColumns(sql, replay);
  const value = (alias: string, column: string) => `${alias}.${q(column)}${json.has(column) ? '::jsonb' : ''}`;
  const matches = key.map((column) => `${value('r', column)} ${declared.length > 0 ? '=' : 'IS NOT DISTINCT FROM'} ${value('l', column)}`).join(' AND ');
  const order = (alias: string) => key.map((column) => value(alias, column)).join(', ');

  const { rows: counted } = await sql.query<{ live: number; replay: number }>(
    `SELECT (SELECT count(*) FROM ${live})::int AS live, (SELECT count(*) FROM ${replay})::int AS replay`,
  );
  const unmatched = async (from: string, other: string): Promise<Listed<UnmatchedRow>> => {
    const { rows } = await sql.query<{ total: number; row: Record<string, unknown> }>(
      `SELECT count(*) OVER ()::int AS total, to_jsonb(l) AS row FROM ${from} l
       WHERE NOT EXISTS (SELECT 1 FROM ${other} r WHERE ${matches}) ORDER BY ${order('l')} LIMIT ${maxRows}`,
    );
    return { count: rows[0]?.total ?? 0, items: rows.map(({ row }) => ({ key: pick(row, key), row })) };
  };
  return {
    table: options.table,
    key,
    liveRows: counted[0]!.live,
    replayRows: counted[0]!.replay,
    onlyInLive: await unmatched(live, replay),
    onlyInReplay: await unmatched(replay, live),
    differing: values.length === 0 ? { count: 0, items: [] } : await differing(sql, { live, replay, key, values, value, matches, order: order('l'), maxRows }),
  };
}

interface DifferingQuery {
  readonly live: string;
  readonly replay: string;
  readonly key: readonly string[];
  readonly values: readonly string[];
  /** A column of a side as compared (json as jsonb). */
  readonly value: (alias: string, column: string) => string;
  readonly matches: string;
  readonly order: string;
  readonly maxRows: number;
}

async function differing(sql: SqlQueryable, query: DifferingQuery): Promise<Listed<DifferingRow>> {
  const tuple = (alias: string) => `(${query.values.map((column) => query.value(alias, column)).join(', ')})`;
  const which = query.values.map((column) => `CASE WHEN ${query.value('l', column)} IS DISTINCT FROM ${query.value('r', column)} THEN ${literal(column)} END`).join(', ');
  const { rows } = await sql.query<{ total: number; live: Record<string, unknown>; replay: Record<string, unknown>; columns: string[] }>(
    `SELECT count(*) OVER ()::int AS total, to_jsonb(l) AS live, to_jsonb(r) AS replay, array_remove(ARRAY[${which}]::text[], NULL) AS columns
     FROM ${query.live} l JOIN ${query.replay} r ON ${query.matches}
     WHERE ${tuple('l')} IS DISTINCT FROM ${tuple('r')} ORDER BY ${query.order} LIMIT ${query.maxRows}`,
  );
  return {
    count: rows[0]?.total ?? 0,
    items: rows.map((row) => ({
      key: pick(row.live, query.key),
      columns: row.columns.map((column) => ({ column, live: row.live[column] ?? null, replay: row.replay[column] ?? null })),
    })),
  };
}

function pick(row: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column) => [column, row[column] ?? null]));
}

/** Column names come from the catalog, but are spliced as SQL strings: quote them as such. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
