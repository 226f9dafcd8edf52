import { DEADLOCK_DETECTED, InFlight, isDataException, isSqlError, type SqlClient } from '@ahe/database';
import { InvalidEventError, WriteDeadlockError } from '../errors';
import { guardedUpcast } from '../guarded-upcast';
import { assertReadStreamOptions } from '../read-options';
import { assertStreamId } from '../append-checks';
import type {
  AppendResult, EventEnvelope, EventStore, ExpectedRevision, GlobalBatch, NewEvent,
  ReadAllOptions, ReadStreamOptions, SubscribeOptions, Subscription, VerifyResult,
} from '../event-store.port';
import { announceCommit } from './commit-wakeups';
import { toEnvelope, type EventRow } from './event-rows';
import { migrateEventStore } from './event-store.schema';
import { READ_SQL } from './event-read.queries';
import { GlobalLogReader } from './global-log-reader';
import { ImportTransaction, type ImportWriter } from './import-transaction';
import { MultiStreamAppender, type StreamWrite } from './multi-stream-appender';
import { SqlAppender } from './sql-appender';
import type { StreamHead } from './stream-heads';
import { verifyStoredStream } from './stream-verification';

export interface SqlEventStoreOptions {
  readonly clock?: () => Date;
  /** Applied to every event read (not to verification, which checks what is stored). */
  readonly upcast?: (event: EventEnvelope) => EventEnvelope;
  /** Test seam: runs inside the append transaction just before COMMIT. */
  readonly beforeCommit?: (streamId: string) => Promise<void>;
  /** Single-event append statements in flight before further ones wait to leave as one (GroupCommit). */
  readonly groupSlots?: number;
  /** Closes the SqlClient with the store (when the store opened it). */
  readonly ownsClient?: boolean;
  /** Told the document read's error when the embedded store read a log page as rows instead (GlobalLogReader); must not throw. */
  readonly onPageReadAsRows?: (error: unknown) => void;
}

const PAGE = 1000;

/**
 * The EventStore on PostgreSQL SQL, over a pg pool or PGlite. Readers of the global log see
 * only rows whose transaction id is below the oldest transaction still running, so a
 * transaction that commits late can never be skipped by a reader that has moved past it.
 */
export class SqlEventStore implements EventStore {
  private readonly clock: () => Date;
  private readonly upcast: (event: EventEnvelope) => EventEnvelope;
  private readonly appender: SqlAppender;
  private readonly multiAppender: MultiStreamAppender;
  private readonly log: GlobalLogReader;
  /** Appends under way: close() lets them finish before the client closes (see there). */
  private readonly appending = new InFlight();

  private constructor(
    private readonly sql: SqlClient,
    private readonly options: SqlEventStoreOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.upcast = guardedUpcast(options.upcast);
    this.appender = new SqlAppender(sql, { clock: this.clock, beforeCommit: options.beforeCommit, groupSlots: options.groupSlots });
    this.multiAppender = new MultiStreamAppender(sql, this.appender.heads, this.clock);
    this.log = new GlobalLogReader(sql, this.upcast, options.onPageReadAsRows);
  }

  static async open(sql: SqlClient, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    await migrateEventStore(sql);
    return new SqlEventStore(sql, options);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    const result = await this.appending.add(this.appender.append(streamId, events, expected));
    if (!result.duplicate) announceCommit(this.sql, result);
    return result;
  }

  /**
   * Appends to several streams atomically, each at its own expected revision, in one
   * transaction (bulk import). Not on the EventStore port: a store without it is written
   * one stream at a time. A retry is not recognised: stored event ids are refused.
   */
  async appendStreams(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    const results = await this.multiAppender.append(writes);
    announceCommit(this.sql);
    return results;
  }

  /**
   * Runs a bulk import in one transaction (ImportTransaction): heads locked as `work` names
   * their streams, rows written while it goes on, heads moved and everything committed when it
   * resolves, nothing stored when it throws. Not on the EventStore port. Readers of the global
   * log see none of it, nor anything committed after it began, until it commits (ADR 0002).
   */
  async importTransaction<T>(work: (writer: ImportWriter) => Promise<T>): Promise<T> {
    let moved = new Map<string, StreamHead>();
    const result = await this.sql.transaction(async (tx) => {
      const writer = new ImportTransaction(tx, this.clock, this.upcast);
      try {
        const answer = await work(writer);
        moved = await writer.finish();
        return answer;
      } catch (error) {
        // The connection rolls back only once the statements queued on it have finished.
        await writer.settled();
        if (isDataException(error)) throw new InvalidEventError(`event rejected by the store: ${(error as Error).message}`);
        throw isSqlError(error, DEADLOCK_DETECTED) ? new WriteDeadlockError() : error;
      }
    });
    for (const [streamId, head] of moved) this.appender.heads.set(streamId, head);
    if (moved.size > 0) announceCommit(this.sql);
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    assertStreamId(streamId);
    assertReadStreamOptions(options);
    const backward = options.direction === 'backward';
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    const events: EventEnvelope[] = [];
    let from = options.fromRevision ?? (backward ? Number.MAX_SAFE_INTEGER : 0);
    const asOf = options.asOf ? [options.asOf.axis === 'recorded', options.asOf.at.toISOString()] : [null, null];
    while (events.length < limit) {
      const page = Math.min(PAGE, limit - events.length);
      const { rows } = await this.sql.query<EventRow>(backward ? READ_SQL.readStreamBackward : READ_SQL.readStreamForward, [streamId, from, page, ...asOf]);
      events.push(...rows.map((row) => this.upcast(toEnvelope(row))));
      if (rows.length < page) {
        // A forward read to the end has seen the head: the next append can start from it.
        const last = rows[rows.length - 1];
        if (!backward && !options.asOf && last) {
          this.appender.heads.set(streamId, { revision: Number(last.revision), hash: last.metadata.hash, recordedAt: last.recorded_at });
        }
        break;
      }
      from = Number(rows[rows.length - 1]!.revision) + (backward ? -1 : 1);
    }
    return events;
  }

  async streamRevision(streamId: string): Promise<number> {
    assertStreamId(streamId);
    const { rows } = await this.sql.query<{ revision: string }>('SELECT revision FROM event_streams WHERE stream_id = $1', [streamId]);
    return rows.length ? Number(rows[0]!.revision) : -1;
  }

  /**
   * The revision of each stream named (-1 for a stream that does not exist) in one statement:
   * a bulk import reads only the streams that exist. Not on the EventStore port.
   */
  async streamRevisions(streamIds: readonly string[]): Promise<Map<string, number>> {
    for (const streamId of streamIds) assertStreamId(streamId);
    const { rows } = await this.sql.query<{ stream_id: string; revision: string }>(
      'SELECT stream_id, revision FROM event_streams WHERE stream_id = ANY($1::text[])', [streamIds],
    );
    const revisions = new Map(streamIds.map((streamId) => [streamId, -1]));
    for (const row of rows) revisions.set(row.stream_id, Number(row.revision));
    return revisions;
  }

  readAll(options: ReadAllOptions = {}): Promise<GlobalBatch> {
    return this.log.readAll(options);
  }

  subscribe(handler: (batch: GlobalBatch) => Promise<void>, options: SubscribeOptions = {}): Subscription {
    return this.log.subscribe(handler, options);
  }

  /** Page by page, outside any transaction, as a snapshot at its first read would answer (stream-verification.ts). */
  async verifyStream(streamId: string): Promise<VerifyResult> {
    assertStreamId(streamId);
    return verifyStoredStream(this.sql, streamId);
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  /**
   * Stops this store's subscriptions, waits for the appends under way to settle, then closes the
   * database when the store owns it. Waiting lets a caller still waiting for its answer get it
   * (at shutdown: a request whose client has gone is not held by the HTTP server's drain): an
   * append waiting in the group commit is sent only when the statement before it has answered,
   * and would otherwise go out on a closed client.
   */
  async close(): Promise<void> {
    await this.log.stopSubscriptions();
    await this.appending.settled();
    if (this.options.ownsClient) await this.sql.close();
  }
}
