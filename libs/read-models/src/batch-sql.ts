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
 * - `rowsWithDocumentsSql`: the plain columns as one typed array each (`columnLiteral`), and
 *   each document (json or jsonb) column as its own JSON array beside them, zipped by ROWS FROM.
 *   For rows carrying large documents (account_health): json_to_recordset would lex every
 *   document twice (once to find its end, once more into jsonb) and copy it character by
 *   character between. A document only the projection reads back whole is best a `json`
 *   column: PostgreSQL checks and stores its text as it came, for about a third of the CPU of
 *   building jsonb of it.
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
    return quotedElement(value);
  });
  return `{${elements.join(',')}}`;
}

/**
 * A string as an array element: in double quotes, `\` and `"` escaped; as @ahe/event-store's
 * quotedElement, which the read models may not import at run time. Ids, codes and instants
 * have neither, and two indexOf calls find that at a fifth of what the escaping `replace` costs
 * even when it replaces nothing (31 against 158 ns a value over a column of ids and ISO instants).
 */
export function quotedElement(value: string): string {
  return value.indexOf('"') === -1 && value.indexOf('\\') === -1 ? `"${value}"` : `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * One column's values as a typed array literal, carrying what JSON would carry to
 * json_to_recordset: null, undefined and numbers JSON cannot write (NaN, ±Infinity) as NULL, a
 * Date as its ISO text, a boolean as true/false, other numbers bare, text quoted. It differs from
 * arrayLiteral (health_history's, which writes NaN as PostgreSQL's 'NaN') in those non-finite
 * numbers and the kinds it takes, not in cost.
 */
export function columnLiteral(values: readonly unknown[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) literal += ',';
    const value = values[index];
    if (typeof value === 'string') literal += quotedElement(value);
    else if (typeof value === 'number') literal += Number.isFinite(value) ? String(value) : 'NULL';
    else if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'boolean') literal += String(value);
    else if (value instanceof Date) literal += `"${value.toISOString()}"`;
    else throw new TypeError(`a ${typeof value} cannot be a plain column's value: send it as a document column`);
  }
  return `${literal}}`;
}

/** The SQL type of a document column, and of the JSON array its rows travel in. */
export type DocumentType = 'json' | 'jsonb';

/**
 * The rows of `rowsWithDocumentsParams`: the `plain` columns from one typed array each ($first…),
 * then one column per entry of `documents` (its type) from a JSON array each, in that order,
 * named as in `plain` and `document_0`… . Typed arrays cost PostgreSQL about half of what
 * json_to_recordset did for account_health's 29 plain columns (6–9 against 13–17 µs a row), and a
 * jsonb document read as json and cast a quarter less than jsonb_array_elements (10.5–12 against
 * 13.5–16.6 µs): the array is then lexed once, not parsed whole into jsonb and taken apart again.
 */
export function rowsWithDocumentsSql(plain: TupleColumns, documents: readonly DocumentType[], first = 1): string {
  const names = Object.keys(plain).map(quoteIdentifier);
  const documentNames = documents.map((_, index) => `document_${index}`);
  const arrays = Object.values(plain).map((type, index) => `unnest($${first + index}::${type}[])`);
  const documentArrays = documents.map((_, index) => `json_array_elements($${first + names.length + index}::json)`);
  const selected = [...names, ...documents.map((type, index) => (type === 'jsonb' ? `${documentNames[index]}::jsonb` : documentNames[index]))];
  return `SELECT ${selected.join(', ')} FROM ROWS FROM (${[...arrays, ...documentArrays].join(', ')}) AS r(${[...names, ...documentNames].join(', ')})`;
}

/**
 * The parameters of rowsWithDocumentsSql: one typed array literal per plain column of `rows`
 * (columnLiteral), then one JSON array per document column, each document through its column's
 * `encode` when it has one.
 */
export function rowsWithDocumentsParams<Row extends object>(
  rows: readonly Row[],
  plain: readonly (keyof Row & string)[],
  documents: readonly (keyof Row & string)[],
  encode: Partial<Record<keyof Row & string, (document: Row[keyof Row]) => unknown>> = {},
): string[] {
  const documentArrays = documents.map((name) => {
    const encoded = encode[name];
    return JSON.stringify(encoded === undefined ? rows.map((row) => row[name]) : rows.map((row) => encoded(row[name])));
  });
  return [...plain.map((name) => columnLiteral(rows.map((row) => row[name]))), ...documentArrays];
}
