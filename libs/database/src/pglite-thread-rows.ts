/**
 * The rows a query on PGlite's own thread answers (pglite-thread.worker.js), as the caller's
 * thread takes them: that thread leaves json and jsonb values as PostgreSQL's text, and they are
 * parsed here, so that the thread running every statement neither parses them nor clones their
 * objects field by field into the message.
 */

/** A query's answer from the thread: its json and jsonb values, and the elements of its arrays of them, still PostgreSQL's text. */
export interface ThreadRows {
  readonly rows: Record<string, unknown>[];
  readonly affectedRows: number;
  /** The columns holding them (json and jsonb, arrays of them); absent when there are none. */
  readonly json?: readonly string[];
}

/** The answer as PGlite gives it on the caller's thread: json and jsonb values parsed, as its default parsers do. */
export function withJsonParsed<Row>({ rows, affectedRows, json }: ThreadRows): { rows: Row[]; affectedRows: number } {
  if (json !== undefined) {
    for (const row of rows) {
      for (const name of json) row[name] = parsedJson(row[name]);
    }
  }
  return { rows: rows as Row[], affectedRows };
}

/** A document's text parsed; in an array (of any depth) each element's; null stays null. */
function parsedJson(value: unknown): unknown {
  if (typeof value === 'string') return JSON.parse(value);
  return Array.isArray(value) ? value.map(parsedJson) : value;
}
