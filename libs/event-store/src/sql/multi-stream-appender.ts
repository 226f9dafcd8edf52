import { isDataException, isSqlError, UNIQUE_VIOLATION, type SqlClient, type SqlQueryable } from '@ahe/database';
import { DuplicateEventIdError, InvalidEventError, WrongExpectedRevisionError } from '../errors';
import { GENESIS_HASH } from '../hash-chain';
import { assertExpectedRevision, prepareBatch, revisionMatches } from '../append-checks';
import { sealRows, type SealedRow } from '../sealed-batch';
import type { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { batchColumns, quotedElement } from './batch-columns';
import { MULTI_STREAM_SQL, SQL } from './event-store.queries';
import { appendResultOf, headAfter, type Written } from './append-result';
import { MAX_ORDER_RETRIES, OlderTransaction } from './sql-appender';
import type { StreamHeadCache } from './stream-heads';

/** One stream's part of a multi-stream append. */
export interface StreamWrite {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
}

type LockedHead = {
  stream_id: string; revision: string; last_hash: string; last_recorded_at: Date | null;
  last_transaction_id: string; transaction_id: string;
};
type Sealed = { readonly streamId: string; readonly rows: readonly SealedRow[] };

/**
 * Appends to several streams in one transaction: all heads locked by one statement, every
 * event inserted by one and every head moved by one, then one commit. What a bulk import
 * needs: one disk sync per few thousand events instead of one per stream. Each stream keeps
 * its own expected revision and hash chain; one mismatch writes nothing at all.
 */
export class MultiStreamAppender {
  constructor(
    private readonly sql: SqlClient,
    private readonly heads: StreamHeadCache,
    private readonly clock: () => Date,
  ) {}

  async append(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    const prepared = prepareWrites(writes);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.sql.transaction((tx) => this.appendLocked(tx, prepared));
        } catch (error) {
          if (!(error instanceof OlderTransaction) || attempt >= MAX_ORDER_RETRIES) throw error;
        }
      }
    } catch (error) {
      for (const write of prepared) this.heads.delete(write.streamId);
      if (isSqlError(error, UNIQUE_VIOLATION)) throw await this.duplicates(prepared, error);
      if (isDataException(error)) throw new InvalidEventError(`event rejected by the store: ${(error as Error).message}`);
      throw error;
    }
  }

  private async appendLocked(tx: SqlQueryable, writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    const { rows } = await tx.query<LockedHead>(MULTI_STREAM_SQL.lockStreams, [writes.map((write) => write.streamId), GENESIS_HASH], 'ahe_lock_streams');
    const locked = new Map(rows.map((row) => [row.stream_id, row]));
    // As in SqlAppender.appendLocked: a head written by a newer transaction means ours is older.
    if (rows.some((row) => BigInt(row.last_transaction_id) > BigInt(row.transaction_id))) throw new OlderTransaction();
    const now = this.clock();
    const sealed = writes.map((write): Sealed => {
      const head = locked.get(write.streamId)!;
      const revision = Number(head.revision);
      if (!revisionMatches(write.expected, revision)) throw new WrongExpectedRevisionError(write.streamId, write.expected, revision);
      return { streamId: write.streamId, rows: sealRows(write.streamId, { revision, hash: head.last_hash, recordedAt: head.last_recorded_at }, write.events, now) };
    });
    const { rows: written } = await tx.query<Written & { stream_id: string }>(MULTI_STREAM_SQL.insertStreams, insertParams(sealed), 'ahe_insert_streams');
    const byStream = new Map(written.map((row) => [row.stream_id, row]));
    return sealed.map(({ streamId, rows: events }) => {
      this.heads.set(streamId, headAfter(events[events.length - 1]!));
      return appendResultOf(streamId, events, byStream.get(streamId)!);
    });
  }

  /** A retry of a multi-stream append is not recognised as such: stored ids are refused. */
  private async duplicates(writes: readonly StreamWrite[], cause: unknown): Promise<Error> {
    const ids = writes.flatMap((write) => write.events.map((event) => event.eventId!));
    const { rows } = await this.sql.query<{ event_id: string }>(SQL.findByIds, [JSON.stringify(ids)]);
    return rows.length ? new DuplicateEventIdError(rows.map((row) => row.event_id), 'already stored') : (cause as Error);
  }
}

function prepareWrites(writes: readonly StreamWrite[]): StreamWrite[] {
  if (!Array.isArray(writes) || writes.length === 0) throw new InvalidEventError('an append to several streams needs at least one stream', 'writes');
  const streams = new Set<string>();
  return writes.map((write, index) => {
    assertExpectedRevision(write.expected);
    const events = prepareBatch(write.streamId, write.events);
    if (streams.has(write.streamId)) throw new InvalidEventError(`writes[${index}]: stream ${write.streamId} appears twice`, `writes[${index}].streamId`);
    streams.add(write.streamId);
    return { streamId: write.streamId, events, expected: write.expected };
  });
}

/** The parameters of MULTI_STREAM_SQL.insertStreams: per event, then per stream. */
function insertParams(sealed: readonly Sealed[]): unknown[] {
  const columns = batchColumns(sealed.flatMap(({ rows }) => rows), true);
  let streamOfEach = '{';
  let streams = '{';
  let lastRevisions = '{';
  let lastHashes = '{';
  let lastRecordedAts = '{';
  for (const [index, { streamId, rows }] of sealed.entries()) {
    const comma = index === 0 ? '' : ',';
    const stream = quotedElement(streamId);
    for (let row = 0; row < rows.length; row++) streamOfEach += (index === 0 && row === 0 ? '' : ',') + stream;
    const last = rows[rows.length - 1]!;
    streams += comma + stream;
    lastRevisions += comma + last.revision;
    lastHashes += `${comma}"${last.hash}"`;
    lastRecordedAts += `${comma}"${last.recordedAt}"`;
  }
  return [
    `${streamOfEach}}`, columns.revisions, columns.eventIds, columns.types, columns.schemaVersions, columns.occurredAts,
    columns.recordedAts, columns.data, columns.metadata, `${streams}}`, `${lastRevisions}}`, `${lastHashes}}`, `${lastRecordedAts}}`,
  ];
}
