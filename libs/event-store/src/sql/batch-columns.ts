import type { SealedRow } from '../sealed-batch';

/**
 * A sealed batch as the column parameters of the insert statements: PostgreSQL array literals
 * for the scalar columns and one JSON array for data and one for metadata, each joined into one
 * flat string. The rows come from prepareBatch, so ids are UUIDs, types identifiers and instants ISO
 * strings: nothing in them needs escaping (node-pg's own array encoding escapes every element).
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
  readonly data: string;
  readonly metadata: string;
}

export function batchColumns(sealed: readonly SealedRow[], perRow = false): BatchColumns {
  const count = sealed.length;
  const eventIds = new Array<string>(count);
  const types = new Array<string>(count);
  const schemaVersions = new Array<number>(count);
  const occurredAts = new Array<string>(count);
  const recordedAts = perRow ? new Array<string>(count) : [];
  const revisions = perRow ? new Array<number>(count) : [];
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
    eventIds: quotedArray(eventIds), types: quotedArray(types), schemaVersions: `{${schemaVersions.join(',')}}`, occurredAts: quotedArray(occurredAts),
    ...(perRow ? { recordedAts: quotedArray(recordedAts), revisions: `{${revisions.join(',')}}` } : {}),
    data: `[${data.join(',')}]`, metadata: `[${metadata.join(',')}]`,
  };
}

/** An array literal of elements that need no escaping. */
function quotedArray(elements: readonly string[]): string {
  return elements.length === 0 ? '{}' : `{"${elements.join('","')}"}`;
}

/** One array element quoted for a PostgreSQL array literal, for text that may hold anything. */
export function quotedElement(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
