import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase, PgliteClient, type SqlClient } from '@ahe/database';
import { GENESIS_HASH, sealBatch, SqlEventStore, type NewEvent, type SealedEvent } from '@ahe/event-store';
import { formatRate, rate, table, type Figure } from './measure';

export interface AppendBenchOptions {
  readonly databaseUrl: string;
  readonly events: number;
  readonly runs: number;
  readonly embedded: boolean;
  readonly log: (line: string) => void;
}

const sample = (n: number): NewEvent => ({
  type: 'ContactLogged',
  schemaVersion: 1,
  occurredAt: '2026-06-01T10:00:00.000Z',
  data: { channel: 'call', direction: 'outbound', summary: `quarterly business review ${n}`, sentiment: 0.4 },
  metadata: { correlationId: `bench-${n}`, actor: 'bench' },
});

/** The same envelopes the store would write, for the raw references. */
function sealedRows(count: number): SealedEvent[] {
  const events = Array.from({ length: count }, (_, n) => ({ ...sample(n), eventId: crypto.randomUUID() }));
  return sealBatch('account-reference', { revision: -1, hash: GENESIS_HASH }, events, new Date());
}

const COLUMNS = 'stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata';
const copyLine = (e: SealedEvent, stream: string) =>
  [stream, e.revision, e.eventId, e.type, e.schemaVersion, e.occurredAt, e.recordedAt, JSON.stringify(e.data), JSON.stringify(e.metadata)]
    .map((value) => String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'))
    .join('\t');
const rowValues = (e: SealedEvent, stream: string) =>
  [stream, e.revision, e.eventId, e.type, e.schemaVersion, e.occurredAt, e.recordedAt, JSON.stringify(e.data), JSON.stringify(e.metadata)];

async function copyReference(client: Client, rows: SealedEvent[], run: number): Promise<number> {
  await client.query('TRUNCATE bench_reference');
  const stream = client.query(copyFrom(`COPY bench_reference (${COLUMNS}) FROM STDIN`));
  const done = once(stream, 'finish');
  stream.write(rows.map((row) => copyLine(row, `copy-${run}`)).join('\n') + '\n');
  stream.end();
  await done;
  return rows.length;
}

/** Multi-row INSERT as a named (prepared) statement, one transaction per `batch` rows. */
async function insertReference(client: Client, rows: SealedEvent[], batch: number, run: number): Promise<number> {
  const placeholders = Array.from({ length: batch }, (_, r) => `(${Array.from({ length: 9 }, (_, c) => `$${r * 9 + c + 1}`).join(', ')})`);
  const text = `INSERT INTO bench_reference (${COLUMNS}) VALUES ${placeholders.join(', ')}`;
  await client.query('TRUNCATE bench_reference');
  for (let offset = 0; offset + batch <= rows.length; offset += batch) {
    const values = rows.slice(offset, offset + batch).flatMap((row) => rowValues(row, `insert-${batch}-${run}`));
    await client.query({ name: `bench_insert_${batch}`, text, values });
  }
  return Math.floor(rows.length / batch) * batch;
}

async function appendThroughStore(sql: SqlClient, count: number, batch: number, run: number): Promise<number> {
  const store = await SqlEventStore.open(sql);
  const stream = `account-bench-${batch}-${run}-${Date.now()}`;
  for (let written = 0; written + batch <= count; written += batch) {
    await store.append(stream, Array.from({ length: batch }, (_, n) => sample(written + n)), written === 0 ? 'no_stream' : written - 1);
  }
  return Math.floor(count / batch) * batch;
}

export async function appendBench(options: AppendBenchOptions): Promise<string> {
  const { events, runs, log } = options;
  const schema = `bench_${process.pid}`;
  const pg = await openDatabase({ kind: 'postgres', connectionString: options.databaseUrl, schema, poolSize: 2 });
  const raw = new Client({ connectionString: options.databaseUrl, options: `-c search_path=${schema}` });
  await raw.connect();
  const dataDir = mkdtempSync(join(tmpdir(), 'ahe-bench-'));
  const embedded = options.embedded ? await PgliteClient.open(dataDir) : undefined;
  try {
    await SqlEventStore.open(pg);
    await raw.query('CREATE TABLE bench_reference (LIKE events INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)');
    const rows = sealedRows(events);
    const single = Math.max(200, Math.floor(events / 20));
    const figures: [string, Figure, string][] = [];
    const measure = async (name: string, reference: string, work: (run: number) => Promise<number>) => {
      log(`measuring ${name}…`);
      figures.push([name, await rate(runs, work), reference]);
    };
    await measure('raw COPY (reference)', 'COPY', (run) => copyReference(raw, rows, run));
    await measure('raw multi-row INSERT ×100, prepared', 'COPY', (run) => insertReference(raw, rows, 100, run));
    await measure('raw single-row INSERT per transaction', 'COPY', (run) => insertReference(raw, rows.slice(0, single), 1, run));
    await measure('store append, batches of 100 — PostgreSQL', 'multi-row INSERT', (run) => appendThroughStore(pg, events, 100, run));
    await measure('store append, batches of 1 — PostgreSQL', 'single-row INSERT', (run) => appendThroughStore(pg, single, 1, run));
    if (embedded) {
      await measure('store append, batches of 100 — embedded', 'multi-row INSERT', (run) => appendThroughStore(embedded, events, 100, run));
      await measure('store append, batches of 1 — embedded', 'single-row INSERT', (run) => appendThroughStore(embedded, single, 1, run));
    }
    const byName = new Map(figures.map(([name, figure]) => [name, figure]));
    const referenceOf = (label: string) =>
      label === 'COPY' ? byName.get('raw COPY (reference)')! : label === 'multi-row INSERT'
        ? byName.get('raw multi-row INSERT ×100, prepared')! : byName.get('raw single-row INSERT per transaction')!;
    const copy = byName.get('raw COPY (reference)')!.median;
    return table(
      ['figure', 'events/s: median (min–max)', '× COPY', 'reference', '× reference'],
      figures.map(([name, figure, reference]) => [
        name, formatRate(figure), (figure.median / copy).toFixed(2), reference,
        name.startsWith('raw COPY') ? '1.00' : (figure.median / referenceOf(reference).median).toFixed(2),
      ]),
    );
  } finally {
    await raw.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await raw.end();
    await pg.close();
    await embedded?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
