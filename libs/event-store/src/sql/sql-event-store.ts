import { isDataException, isSqlError, UNIQUE_VIOLATION, type SqlClient, type SqlQueryable } from '@ahe/database';
import { DuplicateEventIdError, InvalidEventError, WrongExpectedRevisionError } from '../errors';
import { ChainVerifier, GENESIS_HASH } from '../hash-chain';
import { PollingSubscription } from '../polling-subscription';
import { assertStreamId, prepareBatch, sealBatch } from '../sealed-batch';
import type {
  AppendResult, Checkpoint, EventEnvelope, EventStore, ExpectedRevision, GlobalBatch, NewEvent,
  ReadAllOptions, ReadStreamOptions, SubscribeOptions, Subscription, VerifyResult,
} from '../event-store.port';
import { START } from '../event-store.port';
import { rowCheckpoint, toEnvelope, type EventRow } from './event-rows';
import { migrateEventStore, NOTIFY_CHANNEL } from './event-store.schema';
import { SQL } from './event-store.queries';

export interface SqlEventStoreOptions {
  readonly clock?: () => Date;
  /** Applied to every event read (not to verification, which checks what is stored). */
  readonly upcast?: (event: EventEnvelope) => EventEnvelope;
  /** Test seam: runs inside the append transaction just before COMMIT. */
  readonly beforeCommit?: (streamId: string) => Promise<void>;
  /** Closes the SqlClient with the store (when the store opened it). */
  readonly ownsClient?: boolean;
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

  private constructor(
    private readonly sql: SqlClient,
    private readonly options: SqlEventStoreOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.upcast = options.upcast ?? ((event) => event);
  }

  static async open(sql: SqlClient, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    await migrateEventStore(sql);
    return new SqlEventStore(sql, options);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    const prepared = prepareBatch(streamId, events);
    try {
      return await this.sql.transaction((tx) => this.appendInTransaction(tx, streamId, prepared, expected));
    } catch (error) {
      const conflict = error instanceof WrongExpectedRevisionError || isSqlError(error, UNIQUE_VIOLATION);
      if (conflict) {
        const earlier = await this.findAppended(streamId, prepared);
        if (earlier) return earlier;
      }
      if (isDataException(error)) throw new InvalidEventError(`event rejected by the store: ${(error as Error).message}`);
      throw error;
    }
  }

  private async appendInTransaction(
    tx: SqlQueryable, streamId: string, events: readonly NewEvent[], expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const { rows: [head] } = await tx.query<{ revision: string; last_hash: string; last_recorded_at: Date | null }>(
      SQL.lockStream, [streamId, GENESIS_HASH], 'ahe_lock_stream',
    );
    const revision = Number(head!.revision);
    if (!revisionMatches(expected, revision)) throw new WrongExpectedRevisionError(streamId, expected, revision);

    const sealed = sealBatch(streamId, { revision, hash: head!.last_hash, recordedAt: head!.last_recorded_at }, events, this.clock());
    const last = sealed[sealed.length - 1]!;
    const rows = sealed.map((event) => ({
      event_id: event.eventId, revision: event.revision, type: event.type, schema_version: event.schemaVersion,
      occurred_at: event.occurredAt, recorded_at: event.recordedAt, data: event.data, metadata: event.metadata,
    }));
    const { rows: [written] } = await tx.query<{ position: string; transaction_id: string }>(
      SQL.insertEvents, [JSON.stringify(rows), streamId, last.revision, last.metadata.hash, last.recordedAt], 'ahe_insert_events',
    );
    await this.options.beforeCommit?.(streamId);
    return {
      streamId,
      revision: last.revision,
      firstRevision: sealed[0]!.revision,
      position: Number(written!.position),
      eventIds: sealed.map((event) => event.eventId),
      checkpoint: rowCheckpoint({ transaction_id: written!.transaction_id, global_position: written!.position }),
      duplicate: false,
    };
  }

  /** A retried append whose events are all stored already answers with what was stored. */
  private async findAppended(streamId: string, events: readonly NewEvent[]): Promise<AppendResult | undefined> {
    const ids = events.map((event) => event.eventId!);
    const { rows } = await this.sql.query<Pick<EventRow, 'event_id' | 'stream_id' | 'revision' | 'global_position' | 'transaction_id'>>(
      SQL.findByIds, [JSON.stringify(ids)],
    );
    if (rows.length === 0) return undefined;
    const elsewhere = rows.filter((row) => row.stream_id !== streamId).map((row) => row.event_id);
    if (elsewhere.length) throw new DuplicateEventIdError(elsewhere, 'already stored in another stream');
    if (rows.length < ids.length) throw new DuplicateEventIdError(rows.map((row) => row.event_id), 'part of this batch was stored before');
    const last = rows[rows.length - 1]!;
    return {
      streamId,
      revision: Number(last.revision),
      firstRevision: Number(rows[0]!.revision),
      position: Number(last.global_position),
      eventIds: rows.map((row) => row.event_id),
      checkpoint: rowCheckpoint(last),
      duplicate: true,
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    assertStreamId(streamId);
    const backward = options.direction === 'backward';
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isInteger(limit) || limit < 0) throw new InvalidEventError('limit must be a non-negative integer', 'limit');
    const events: EventEnvelope[] = [];
    let from = options.fromRevision ?? (backward ? Number.MAX_SAFE_INTEGER : 0);
    const asOf = options.asOf ? [options.asOf.axis === 'recorded', options.asOf.at.toISOString()] : [null, null];
    while (events.length < limit) {
      const page = Math.min(PAGE, limit - events.length);
      const { rows } = await this.sql.query<EventRow>(backward ? SQL.readStreamBackward : SQL.readStreamForward, [streamId, from, page, ...asOf]);
      events.push(...rows.map((row) => this.upcast(toEnvelope(row))));
      if (rows.length < page) break;
      from = Number(rows[rows.length - 1]!.revision) + (backward ? -1 : 1);
    }
    return events;
  }

  async streamRevision(streamId: string): Promise<number> {
    assertStreamId(streamId);
    const { rows } = await this.sql.query<{ revision: string }>('SELECT revision FROM event_streams WHERE stream_id = $1', [streamId]);
    return rows.length ? Number(rows[0]!.revision) : -1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<GlobalBatch> {
    const after = options.after ?? START;
    const { rows } = await this.sql.query<EventRow>(SQL.readAll, [after.commit.toString(), after.prepare.toString(), options.limit ?? PAGE], 'ahe_read_all');
    return {
      events: rows.map((row) => this.upcast(toEnvelope(row))),
      checkpoint: rows.length ? rowCheckpoint(rows[rows.length - 1]!) : after,
    };
  }

  /** True when events exist past `after` that the watermark still hides (a transaction is open). */
  private async hasHiddenEvents(after: Checkpoint): Promise<boolean> {
    const { rows } = await this.sql.query<{ hidden: boolean }>(SQL.hiddenAfter, [after.commit.toString(), after.prepare.toString()]);
    return rows[0]!.hidden;
  }

  subscribe(handler: (batch: GlobalBatch) => Promise<void>, options: SubscribeOptions = {}): Subscription {
    return new PollingSubscription(
      {
        read: (after, limit) => this.readAll({ after, limit }),
        hasHidden: (after) => this.hasHiddenEvents(after),
        onWake: (wake) => this.sql.listen(NOTIFY_CHANNEL, wake),
      },
      handler,
      options,
    );
  }

  async verifyStream(streamId: string): Promise<VerifyResult> {
    assertStreamId(streamId);
    const verifier = new ChainVerifier();
    for (let from = 0; ; ) {
      const { rows } = await this.sql.query<EventRow>(SQL.readStreamPage, [streamId, from, PAGE]);
      for (const row of rows) if (!verifier.push(toEnvelope(row))) return verifier.finish();
      if (rows.length < PAGE) break;
      from = Number(rows[rows.length - 1]!.revision) + 1;
    }
    const { rows: [head] } = await this.sql.query<{ revision: string; last_hash: string }>(
      'SELECT revision, last_hash FROM event_streams WHERE stream_id = $1', [streamId],
    );
    return verifier.finish(head ? { revision: Number(head.revision), hash: head.last_hash } : undefined);
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) await this.sql.close();
  }
}

function revisionMatches(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case 'any': return true;
    case 'no_stream': return actual === -1;
    case 'stream_exists': return actual >= 0;
    default: return expected === actual;
  }
}
