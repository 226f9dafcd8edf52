import type { SqlClient } from '@ahe/database';
import { GENESIS_HASH, sealBatch, SqlEventStore, type NewEvent, type SealedEvent } from '@ahe/event-store';
import { type BenchRow, type BenchTarget, goalOf, reaches } from './bench-table';
import { interleavedRates } from './measure';
import { cleanUp, dropTarget, freshTarget, openTarget, whereOf, type EmbeddedChoice } from './store-target';

/** Batches of 100 at least as fast as the raw multi-row INSERT of the same rows (issue 9). */
const APPEND_TARGET: BenchTarget = { minRatio: 1 };

export interface AppendBenchOptions {
  readonly databaseUrl: string;
  readonly events: number;
  readonly runs: number;
  /** On the embedded store (PGlite, on disk) instead of PostgreSQL; the references run there too. */
  readonly embedded: EmbeddedChoice;
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
const rowValues = (e: SealedEvent, stream: string) =>
  [stream, e.revision, e.eventId, e.type, e.schemaVersion, e.occurredAt, e.recordedAt, JSON.stringify(e.data), JSON.stringify(e.metadata)];

/**
 * Multi-row INSERT as a named (prepared, on PostgreSQL) statement, one transaction per `batch`
 * rows. Never truncated: the reference table grows run by run as the store's `events` does, so
 * both insert into indexes of the same size (a table emptied before each run made the
 * reference's inserts about a quarter cheaper in the database than the same INSERT into the
 * store's grown table).
 */
async function insertReference(sql: SqlClient, rows: readonly SealedEvent[], batch: number, run: number): Promise<number> {
  const placeholders = Array.from({ length: batch }, (_, r) => `(${Array.from({ length: 9 }, (_, c) => `$${r * 9 + c + 1}`).join(', ')})`);
  const text = `INSERT INTO bench_reference (${COLUMNS}) VALUES ${placeholders.join(', ')}`;
  for (let offset = 0; offset + batch <= rows.length; offset += batch) {
    const values = rows.slice(offset, offset + batch).flatMap((row) => rowValues(row, `insert-${batch}-${run}`));
    await sql.query(text, values, `bench_insert_${batch}`);
  }
  return Math.floor(rows.length / batch) * batch;
}

async function appendThroughStore(store: SqlEventStore, count: number, batch: number, run: number): Promise<number> {
  const stream = `account-bench-${batch}-${run}-${Date.now()}`;
  for (let written = 0; written + batch <= count; written += batch) {
    await store.append(stream, Array.from({ length: batch }, (_, n) => sample(written + n)), written === 0 ? 'no_stream' : written - 1);
  }
  return Math.floor(count / batch) * batch;
}

/**
 * Store appends against raw INSERTs of rows of exactly the same shape, in the same database,
 * taking turns within each run: batches of 100 (the goal, ≥ 1.0 ×) and batches of 1 (bound
 * by the commit; shown for what a single command costs).
 */
export async function appendBench(options: AppendBenchOptions): Promise<BenchRow[]> {
  const { events, runs, log } = options;
  // The store and its references in one client: on PGlite, one connection for both.
  const target = freshTarget(options.embedded, options.databaseUrl, `bench_append_${process.pid}`);
  const sql = await openTarget(target, 2).catch(async (error: unknown) => {
    await dropTarget(target);
    throw error;
  });
  const where = whereOf(target);
  try {
    const store = await SqlEventStore.open(sql);
    await sql.exec('CREATE TABLE bench_reference (LIKE events INCLUDING ALL)');
    // Single-row commits are slow (one fsync each): a smaller count keeps the run short.
    const single = Math.max(200, Math.floor(events / 50));
    // Rows of their own (event ids are unique) for every run, sealed before the clock starts.
    const rows = Array.from({ length: runs }, () => sealedRows(events));
    const singleRows = Array.from({ length: runs }, () => sealedRows(single));
    const figures = await interleavedRates(
      runs,
      {
        insert100: (run) => insertReference(sql, rows[run]!, 100, run),
        append100: (run) => appendThroughStore(store, events, 100, run),
        insert1: (run) => insertReference(sql, singleRows[run]!, 1, run),
        append1: (run) => appendThroughStore(store, single, 1, run),
      },
      (name, run) => log(`append: ${name}, run ${run + 1}/${runs}`),
    );
    const shape = 'rows of the same shape (CREATE TABLE … (LIKE events INCLUDING ALL)), growing run by run as the store does';
    const ratio100 = figures.append100.median / figures.insert100.median;
    return [
      {
        figure: `store append, batches of 100 — ${where}`,
        rate: figures.append100,
        unit: 'events/s',
        reference: { name: 'raw multi-row INSERT ×100, prepared', rate: figures.insert100 },
        ratio: ratio100,
        ...goalOf(APPEND_TARGET),
        met: reaches(APPEND_TARGET, { ratio: ratio100 }),
        note: `one writer, one stream, ${events} events per run, expected revision each append; reference: ${shape}; median of ${runs}`,
      },
      {
        figure: `store append, batches of 1 — ${where}`,
        rate: figures.append1,
        unit: 'events/s',
        reference: { name: 'raw single-row INSERT per transaction', rate: figures.insert1 },
        ratio: figures.append1.median / figures.insert1.median,
        note: `${single} events per run, one commit each; no goal (shown for what a single command costs)`,
      },
    ];
  } finally {
    await cleanUp('the append line', () => sql.close(), () => dropTarget(target));
  }
}
