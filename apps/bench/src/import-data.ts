import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePortfolio, type DemoLine } from '@ahe/demo';
import { currentSchemaVersion } from '@ahe/events';
import { GENESIS_HASH, sealBatch, type NewEvent, type SealedEvent } from '@ahe/event-store';

/**
 * One import run's data: demo accounts as an NDJSON file in the import format (what
 * `POST /v1/import` and `ahe import` read), and the very rows the importer would store for
 * them — same ids of streams, revisions, JSON, metadata and hash chain — as COPY text, so
 * the reference writes what the import writes, minus the engine's own work.
 */
export interface ImportRun {
  readonly file: string;
  readonly body: Buffer;
  readonly events: number;
  readonly accounts: number;
  /** COPY text format, one row per line, columns COPY_COLUMNS. */
  readonly copyText: string;
}

export const COPY_COLUMNS = 'stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata';
/** Demo accounts cover three years, as `ahe seed` does by default. */
const YEARS = 3;

export function prepareImportRun(folder: string, accounts: number, seed: number): ImportRun {
  const lines = [...generatePortfolio({ accounts, years: YEARS, seed })];
  const file = join(folder, `import-${seed}.ndjson`);
  const body = Buffer.from(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  writeFileSync(file, body);
  return { file, body, events: lines.length, accounts, copyText: copyTextOf(lines) };
}

/** As the importer stores a line: current schema version, the import's id and actor in the metadata. */
function copyTextOf(lines: readonly DemoLine[]): string {
  const metadata = { correlationId: randomUUID(), actor: 'import' };
  const byStream = new Map<string, NewEvent[]>();
  for (const line of lines) {
    const event: NewEvent = { eventId: randomUUID(), type: line.type, schemaVersion: currentSchemaVersion(line.type), occurredAt: line.occurredAt, data: line.data, metadata };
    const stream = byStream.get(line.streamId);
    if (stream) stream.push(event);
    else byStream.set(line.streamId, [event]);
  }
  const now = new Date();
  const rows: string[] = [];
  for (const [streamId, events] of byStream) {
    for (const sealed of sealBatch(streamId, { revision: -1, hash: GENESIS_HASH }, events, now)) rows.push(copyLine(sealed));
  }
  return rows.join('\n') + '\n';
}

function copyLine(e: SealedEvent): string {
  return [e.streamId, e.revision, e.eventId, e.type, e.schemaVersion, e.occurredAt, e.recordedAt, JSON.stringify(e.data), JSON.stringify(e.metadata)]
    .map((value) => String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'))
    .join('\t');
}
