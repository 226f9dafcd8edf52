import type { SqlTransaction } from '@ahe/database';
import { WrongExpectedRevisionError } from '../errors';
import { GENESIS_HASH } from '../hash-chain';
import { assertStreamId, prepareBatch } from '../append-checks';
import { sealRows, type SealedRow } from '../sealed-batch';
import type { EventEnvelope, NewEvent } from '../event-store.port';
import { headAfter } from './append-result';
import { quotedElement } from './batch-columns';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from './event-rows';
import { MULTI_STREAM_SQL } from './event-store.queries';
import type { StreamHead } from './stream-heads';

/** What a bulk import writes through: SqlEventStore.importTransaction hands one to its caller. */
export interface ImportWriter {
  /**
   * Locks the heads of streams not locked yet, creating the missing ones, until the import
   * ends, and answers their events as readStream would (none for a new stream). A stream last
   * written by a transaction younger than the import's is refused (WrongExpectedRevisionError):
   * the import's events would come after it in the stream but before it in the global log.
   */
  lockStreams(streamIds: readonly string[]): Promise<Map<string, EventEnvelope[]>>;
  /**
   * Seals the events after each stream's head (before it returns: the events may be reused) and
   * queues their insert; resolves once they are written.
   */
  write(writes: readonly { readonly streamId: string; readonly events: readonly NewEvent[] }[]): Promise<number>;
  /**
   * Runs one statement of the caller's in the import's transaction, behind the writes queued:
   * what it records (an Idempotency-Key's answer) commits with the import's events or not at all.
   */
  record(text: string, params: readonly unknown[]): Promise<void>;
}

type LockedHead = {
  stream_id: string; revision: string; last_hash: string; last_recorded_at: Date | null;
  last_transaction_id: string; transaction_id: string;
};

/**
 * The rows of one write go in by COPY, in statement order (global positions follow it), the
 * rows sent with the statement (PipelinedCopyIn). The backend parses them as the benchmark's
 * reference COPY does, without the tuplestores of the INSERT … SELECT FROM ROWS FROM (unnest(…))
 * this replaced, and writes the heap a batch of rows at a time: 19,576 rows of an import took
 * 155 ms of the database's time against 184 ms, and 16.8 MB of WAL against 17.8 MB. Identity
 * and transaction id come from the table's defaults.
 */
const COPY_TABLE = 'events';
const COPY_COLUMNS = 'stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata';

const MOVE_HEADS = `
  UPDATE event_streams
  SET revision = h.revision, last_hash = h.hash, last_recorded_at = h.recorded_at,
      last_transaction_id = pg_current_xact_id()::text::bigint
  FROM ROWS FROM (unnest($1::text[]), unnest($2::bigint[]), unnest($3::text[]), unnest($4::timestamptz[]))
    AS h(stream_id, revision, hash, recorded_at)
  WHERE event_streams.stream_id = h.stream_id`;

const READ_STREAMS = `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, revision`;

/**
 * A bulk import as one transaction: heads locked as the import first names their streams, rows
 * inserted window by window while the importer validates the next one, every head moved once
 * at the end. Its statements run one after another on the transaction's connection, in the
 * order they were asked for; the caller does not wait for a write before validating on.
 */
export class ImportTransaction implements ImportWriter {
  private readonly heads = new Map<string, StreamHead>();
  private readonly written = new Set<string>();
  /** The statements asked for, chained: each reports once the one before has succeeded. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Settles once every statement sent has, whatever became of them. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly tx: SqlTransaction,
    private readonly clock: () => Date,
    private readonly upcast: (event: EventEnvelope) => EventEnvelope,
  ) {}

  lockStreams(streamIds: readonly string[]): Promise<Map<string, EventEnvelope[]>> {
    const wanted = [...new Set(streamIds)].filter((streamId) => !this.heads.has(streamId));
    for (const streamId of wanted) assertStreamId(streamId);
    // Nothing to lock: answered at once, not behind the writes queued.
    if (wanted.length === 0) return Promise.resolve(new Map());
    return this.enqueue(async () => {
      const events = new Map<string, EventEnvelope[]>(wanted.map((streamId) => [streamId, []]));
      const { rows } = await this.tx.query<LockedHead>(MULTI_STREAM_SQL.lockStreams, [wanted, GENESIS_HASH], 'ahe_lock_streams');
      const existing: string[] = [];
      for (const row of rows) {
        const revision = Number(row.revision);
        if (BigInt(row.last_transaction_id) > BigInt(row.transaction_id)) throw new WrongExpectedRevisionError(row.stream_id, 'any', revision);
        this.heads.set(row.stream_id, { revision, hash: row.last_hash, recordedAt: row.last_recorded_at });
        if (revision >= 0) existing.push(row.stream_id);
      }
      if (existing.length > 0) {
        const { rows: stored } = await this.tx.query<EventRow>(READ_STREAMS, [existing]);
        for (const row of stored) events.get(row.stream_id)!.push(this.upcast(toEnvelope(row)));
      }
      return events;
    });
  }

  write(writes: readonly { readonly streamId: string; readonly events: readonly NewEvent[] }[]): Promise<number> {
    const now = this.clock();
    const lines: string[] = [];
    for (const { streamId, events } of writes) {
      const head = this.heads.get(streamId);
      if (!head) throw new Error(`stream ${streamId} is written before it is locked`);
      const sealed = sealRows(streamId, head, prepareBatch(streamId, events), now);
      for (const row of sealed) lines.push(copyLine(streamId, row));
      this.heads.set(streamId, headAfter(sealed[sealed.length - 1]!));
      this.written.add(streamId);
    }
    const count = lines.length;
    if (count === 0) return Promise.resolve(0);
    // One flat string, the driver's one CopyData message. Only the stream ids and the JSON texts
    // can hold a backslash, and COPY reads every field alike: escaped once over the whole text
    // (one scan of a flat string) rather than field by field (each a rope flattened to be scanned).
    lines.push('');
    const joined = lines.join('\n');
    const text = joined.includes('\\') ? joined.replaceAll('\\', '\\\\') : joined;
    return this.enqueue(async () => {
      await this.tx.copyRows(COPY_TABLE, COPY_COLUMNS, text);
      return count;
    });
  }

  record(text: string, params: readonly unknown[]): Promise<void> {
    return this.enqueue(async () => void (await this.tx.query(text, params)));
  }

  /** Waits for every write, then moves the heads of the streams written; answers their new heads. */
  async finish(): Promise<Map<string, StreamHead>> {
    await this.queue;
    const moved = new Map([...this.written].map((streamId) => [streamId, this.heads.get(streamId)!]));
    if (moved.size === 0) return moved;
    let streams = '';
    let revisions = '';
    let hashes = '';
    let recordedAts = '';
    for (const [streamId, head] of moved) {
      const comma = streams === '' ? '' : ',';
      streams += comma + quotedElement(streamId);
      revisions += comma + head.revision;
      hashes += `${comma}"${head.hash}"`;
      recordedAts += `${comma}"${head.recordedAt!.toISOString()}"`;
    }
    await this.tx.query(MOVE_HEADS, [`{${streams}}`, `{${revisions}}`, `{${hashes}}`, `{${recordedAts}}`], 'ahe_import_heads');
    return moved;
  }

  /** Resolves once no statement is running, whatever became of them: the connection is then free to roll back. */
  async settled(): Promise<void> {
    await this.running;
  }

  /**
   * Sends a statement at once, behind those already sent (the connection runs them in the order
   * asked: PGlite's thread through its own queue, PostgreSQL's one after another), rather than
   * once this thread has seen the answer to the one before: on PGlite's thread that hop left the
   * database idle between a window's lock and the write before it, waiting for this thread to
   * finish admitting a window. A failure fails every statement after it with its own error (the
   * transaction is aborted anyway).
   */
  private enqueue<T>(statement: () => Promise<T>): Promise<T> {
    const sent = statement();
    sent.catch(() => undefined);
    this.running = Promise.allSettled([this.running, sent]);
    const result = this.queue.then(() => sent);
    this.queue = result;
    return result;
  }
}

/**
 * A sealed row as a line of COPY's text format, backslashes not yet escaped. Ids are UUIDs,
 * types identifiers, instants ISO strings, and stream ids and the JSON texts hold no control
 * character (assertStreamId; canonical JSON escapes them), so a backslash is all that needs
 * escaping.
 */
function copyLine(streamId: string, row: SealedRow): string {
  return `${streamId}\t${row.revision}\t${row.eventId}\t${row.type}\t${row.schemaVersion}\t${row.occurredAt}\t${row.recordedAt}\t${row.data}\t${row.metadata}`;
}
