import type { SealedRow } from '../sealed-batch';

/**
 * A sealed batch as the column parameters of the insert statements: PostgreSQL array literals
 * for the scalar columns and one JSON array for data and one for metadata, all written in one
 * pass. The rows come from prepareBatch, so ids are UUIDs, types identifiers and instants ISO
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
  let eventIds = '{';
  let types = '{';
  let schemaVersions = '{';
  let occurredAts = '{';
  let recordedAts = '{';
  let revisions = '{';
  let data = '[';
  let metadata = '[';
  for (let index = 0; index < sealed.length; index++) {
    const row = sealed[index]!;
    const comma = index === 0 ? '' : ',';
    eventIds += `${comma}"${row.eventId}"`;
    types += `${comma}"${row.type}"`;
    schemaVersions += comma + row.schemaVersion;
    occurredAts += `${comma}"${row.occurredAt}"`;
    if (perRow) {
      recordedAts += `${comma}"${row.recordedAt}"`;
      revisions += comma + row.revision;
    }
    data += comma + row.data;
    metadata += comma + row.metadata;
  }
  return {
    eventIds: `${eventIds}}`, types: `${types}}`, schemaVersions: `${schemaVersions}}`, occurredAts: `${occurredAts}}`,
    ...(perRow ? { recordedAts: `${recordedAts}}`, revisions: `${revisions}}` } : {}), data: `${data}]`, metadata: `${metadata}]`,
  };
}

/** One array element quoted for a PostgreSQL array literal, for text that may hold anything. */
export function quotedElement(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
