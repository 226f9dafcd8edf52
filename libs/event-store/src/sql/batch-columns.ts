import type { SealedRow } from '../sealed-batch';

/**
 * A sealed batch as the column parameters of the insert statements: PostgreSQL array literals
 * for the scalar columns, and data and metadata as JSON texts one a line (split by
 * string_to_table, see event-store.queries.ts), each joined into one flat string. The rows come
 * from prepareBatch, so ids are UUIDs, types identifiers and instants ISO strings: nothing in
 * them needs escaping (node-pg's own array encoding escapes every element).
 * The JSON is canonical text already: joined, never escaped.
 */
export interface BatchColumns {
  readonly eventIds: string;
  readonly types: string;
  readonly schemaVersions: string;
  readonly occurredAts: string;
  /** Only with `perRow`: the multi-stream insert takes them per row, the single-stream one per batch. */
  readonly recordedAts?: string;
  readonly revisions?: string;
  /** The rows' JSON texts one a line (canonical JSON holds no raw line break). */
  readonly data: string;
  readonly metadata: string;
}

export function batchColumns(sealed: readonly SealedRow[], perRow = false): BatchColumns {
  const count = sealed.length;
  const eventIds = new Array<string>(count);
  const types = new Array<string>(count);
  const schemaVersions = new Array<string | number>(count);
  const occurredAts = new Array<string>(count);
  const recordedAts = perRow ? new Array<string>(count) : [];
  const revisions: (string | number)[] = perRow ? new Array<number>(count) : [];
  const data = new Array<string>(count);
  const metadata = new Array<string>(count);
  for (let index = 0; index < count; index++) {
    const row = sealed[index]!;
    eventIds[index] = row.eventId;
    types[index] = row.type;
    schemaVersions[index] = row.schemaVersion;
    occurredAts[index] = row.occurredAt;
    if (perRow) {
      recordedAts[index] = row.recordedAt;
      revisions[index] = row.revision;
    }
    data[index] = row.data;
    metadata[index] = row.metadata;
  }
  // Flat strings: the driver measures and copies each column without walking a rope of a few
  // hundred pieces (a cache miss each, on a machine busy with the database).
  return {
    eventIds: quotedArray(eventIds), types: quotedArray(types), schemaVersions: enclosed(schemaVersions, '{', ',', '}'), occurredAts: quotedArray(occurredAts),
    ...(perRow ? { recordedAts: quotedArray(recordedAts), revisions: enclosed(revisions, '{', ',', '}') } : {}),
    data: data.join('\n'),
    metadata: metadata.join('\n'),
  };
}

/**
 * `${open}${elements.join(separator)}${close}` as one flat string: the brackets go into the
 * first and last element before the join, since brackets around a joined column would make a
 * rope the driver flattens, copying the column (up to about a megabyte for an import's window)
 * once more. Overwrites the first and last elements: pass an array no one reads afterwards.
 */
export function enclosed(elements: (string | number)[], open: string, separator: string, close: string): string {
  const last = elements.length - 1;
  if (last < 0) return open + close;
  elements[0] = open + elements[0];
  elements[last] = elements[last] + close;
  return elements.join(separator);
}

/** An array literal of elements that need no escaping. */
function quotedArray(elements: string[]): string {
  return elements.length === 0 ? '{}' : enclosed(elements, '{"', '","', '"}');
}

/**
 * One array element quoted for a PostgreSQL array literal, for text that may hold anything; text
 * without `\` or `"` (nearly every id) skips the escaping `replace`, five times its cost. The read
 * models keep a copy (batch-sql.ts), since their dependency rule keeps the store out of them.
 */
export function quotedElement(text: string): string {
  return text.indexOf('"') === -1 && text.indexOf('\\') === -1 ? `"${text}"` : `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
