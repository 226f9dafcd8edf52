/**
 * How the read models send a batch of rows to PostgreSQL: always as a few parameters of one
 * statement, so a batch of any size is one round trip on PostgreSQL and PGlite alike. Each
 * statement's encoding was chosen by profiling that statement; they are not interchangeable
 * on cost, only on the rows they produce.
 *
 * - `tuplesSql`: one JSON array of tuples per parameter. The default: a third of the bytes of
 *   an array of objects and about half the server's CPU of json_to_recordset on one.
 * - `unnestSql` with `arrayLiteral`: one typed array per column. For the heaviest write, about a
 *   row per event (health_history): PostgreSQL reads typed arrays for about a third less than
 *   it parses the JSON of the same rows. Only for scalar columns.
 * - `rowsWithDocumentsSql`: the plain columns as one json_to_recordset, and each document
 *   (json or jsonb) column as its own JSON array beside it, zipped by ROWS FROM. For rows
 *   carrying large documents (account_health): json_to_recordset would lex every document twice
 *   (once to find its end, once more into jsonb) and copy it character by character between.
 *   A document only the projection reads back whole is best a `json` column: PostgreSQL checks
 *   and stores its text as it came, for about a third of the CPU of building jsonb of it.
 *
 * Statements run once per batch are prepared by name (`statementName`) and their text built
 * once per physical table (`perTable`).
 */

/** Column → SQL type, in the order the values are sent; `jsonb` columns travel as JSON values. */
export type TupleColumns = Readonly<Record<string, string>>;

/**
 * The prepared-statement name of a batch statement on `table` (a generation's physical table):
 * PostgreSQL then parses and plans it once per connection rather than once per batch, and its
 * generic plan looks the batch's accounts up by index however large the table has grown. The
 * text must depend on nothing but the table, as the name does.
 */
export function statementName(purpose: string, table: string): string {
  return `ahe_${purpose}_${table}`;
}

/**
 * A statement's text built once per physical table (or pair of tables of one generation)
 * rather than once per batch. Holds one text per generation the process has written.
 */
export function perTable(build: (table: string) => string): (table: string) => string {
  const texts = new Map<string, string>();
  return (table) => {
    let text = texts.get(table);
    if (text === undefined) texts.set(table, (text = build(table)));
    return text;
  };
}

export function perTablePair(build: (first: string, second: string) => string): (first: string, second: string) => string {
  const texts = new Map<string, Map<string, string>>();
  return (first, second) => {
    let bySecond = texts.get(first);
    if (bySecond === undefined) texts.set(first, (bySecond = new Map()));
    let text = bySecond.get(second);
    if (text === undefined) bySecond.set(second, (text = build(first, second)));
    return text;
  };
}

/**
 * An identifier quoted for SQL, any `"` doubled: as @ahe/database's quoteIdentifier, which the
 * read models may not import at run time (it comes with the driver). Column names such as
 * `interval` are keywords.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The rows of parameter `$param`, a JSON array of tuples (`[["a", 1], …]`), as typed columns
 * named after `columns`, in its order.
 */
export function tuplesSql(columns: TupleColumns, param: number): string {
  const values = Object.entries(columns).map(([column, type], index) => (type === 'jsonb' ? `r->${index}` : `(r->>${index})::${type}`) + ` AS ${quoteIdentifier(column)}`);
  return `SELECT ${values.join(', ')} FROM jsonb_array_elements($${param}::jsonb) AS r`;
}

/** The rows of one array literal per column (`arrayLiteral`), parameters `$first`… in the order of `columns`. */
export function unnestSql(columns: TupleColumns, first = 1): string {
  const arrays = Object.values(columns).map((type, index) => `$${first + index}::${type}[]`);
  return `SELECT * FROM unnest(${arrays.join(', ')})`;
}

/**
 * The PostgreSQL array literal node-pg would make of `values`, for a fraction of its CPU (it
 * quotes every number and escapes every element in two passes): numbers go bare, strings
 * quoted with one escaping pass.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  const elements = values.map((value) => {
    if (value === null) return 'NULL';
    if (typeof value === 'number') return String(value);
    return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${elements.join(',')}}`;
}

/** The column definition list of json_to_recordset over `columns`. */
export function recordsetColumns(columns: TupleColumns): string {
  return Object.entries(columns)
    .map(([column, type]) => `${column} ${type}`)
    .join(', ');
}

/** The SQL type of a document column, and of the JSON array its rows travel in. */
export type DocumentType = 'json' | 'jsonb';

/**
 * The rows of `rowsWithDocumentsParams`: the `plain` columns from `$1` (json_to_recordset),
 * then one column per entry of `documents` (its type) from `$2`…, in that order (the document
 * columns come out named `value`: insert by position).
 */
export function rowsWithDocumentsSql(plain: TupleColumns, documents: readonly DocumentType[]): string {
  const arrays = documents.map((type, index) => `${type}_array_elements($${index + 2}::${type})`);
  return `SELECT * FROM ROWS FROM (json_to_recordset($1::json) AS (${recordsetColumns(plain)}), ${arrays.join(', ')})`;
}

/** The parameters of rowsWithDocumentsSql: the plain columns of `rows` as one JSON array of objects, then one JSON array per document column. */
export function rowsWithDocumentsParams<Row extends object>(rows: readonly Row[], plain: readonly (keyof Row & string)[], documents: readonly (keyof Row & string)[]): string[] {
  return [JSON.stringify(rows, [...plain]), ...documents.map((name) => JSON.stringify(rows.map((row) => row[name])))];
}
