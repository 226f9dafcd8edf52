import { isDataException, isSqlError, UNIQUE_VIOLATION, type SqlClient, type SqlQueryable } from '@ahe/database';
import canonicalize from 'canonicalize';
import { DuplicateEventIdError, InvalidEventError, WrongExpectedRevisionError } from '../errors';
import { GENESIS_HASH } from '../hash-chain';
import { assertExpectedRevision, prepareBatch, revisionMatches } from '../append-checks';
import { sealRows, type SealedRow } from '../sealed-batch';
import type { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { appendOneParams, appendResultOf, headAfter, type Written } from './append-result';
import { rowCheckpoint, type EventRow } from './event-rows';
import { SQL } from './event-store.queries';
import { batchColumns } from './batch-columns';
import { claimInlineNotify, markAnnouncedInline } from './commit-wakeups';
import { GroupCommit } from './group-commit';
import { StreamHeadCache, type StreamHead } from './stream-heads';

export interface AppenderOptions {
  readonly clock: () => Date;
  readonly beforeCommit?: (streamId: string) => Promise<void>;
  /** Single-event append statements in flight before others wait to be grouped (GroupCommit); default GROUP_SLOTS. */
  readonly groupSlots?: number;
}


export const MAX_ORDER_RETRIES = 20;

/** Our transaction id is older than the head's writer: retried in a new transaction (ADR 0002). */
export class OlderTransaction extends Error {}

/**
 * Appends a batch atomically. With a known head it is one statement that checks the head and
 * writes (a single event grouped with concurrent ones: GroupCommit); otherwise (or when that
 * head turns out stale) it locks the head row, checks the expected revision and writes in one
 * transaction.
 */
export class SqlAppender {
  readonly heads = new StreamHeadCache();
  /** Absent with beforeCommit: the test seam needs a transaction of each append's own. */
  private readonly group?: GroupCommit;

  constructor(
    private readonly sql: SqlClient,
    private readonly options: AppenderOptions,
  ) {
    if (!options.beforeCommit) this.group = new GroupCommit(sql, this.heads, options.clock, options.groupSlots);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertExpectedRevision(expected);
    const prepared = prepareBatch(streamId, events);
    try {
      const group = prepared.length === 1 ? this.group : undefined;
      let known = this.knownHeadMatching(streamId, expected);
      const earlier = group && known ? undefined : this.group?.pendingFor(streamId);
      if (earlier) {
        // A single-event append to this stream made before this one is still in the group
        // (waiting for its turn's end on the embedded store, or in flight): it lands first,
        // as appends a writer makes one after the other must.
        await earlier;
        known = this.knownHeadMatching(streamId, expected);
      }
      const atHead = !known ? undefined : group ? group.append(streamId, prepared[0]!, expected) : this.appendAtHead(streamId, prepared, known);
      return (await atHead) ?? (await this.appendLockedWithRetries(streamId, prepared, expected));
    } catch (error) {
      this.heads.delete(streamId);
      // Only ids the caller gave can have been stored by an earlier try: ours are new (randomUUID).
      const idsGiven = events.some((event) => event.eventId !== undefined);
      if (idsGiven && (error instanceof WrongExpectedRevisionError || isSqlError(error, UNIQUE_VIOLATION))) {
        const earlier = await this.findAppended(streamId, prepared);
        if (earlier) return earlier;
      }
      if (isDataException(error)) throw new InvalidEventError(`event rejected by the store: ${(error as Error).message}`);
      throw error;
    }
  }


  /** The cached head of `streamId` when `expected` matches it. */
  private knownHeadMatching(streamId: string, expected: ExpectedRevision): StreamHead | undefined {
    const known = this.heads.get(streamId);
    return known && revisionMatches(expected, known.revision) ? known : undefined;
  }
  private async appendAtHead(streamId: string, events: readonly NewEvent[], head: StreamHead): Promise<AppendResult | undefined> {
    const sealed = sealRows(streamId, head, events, this.options.clock());
    const beforeCommit = this.options.beforeCommit;
    // A batch's statement carries the commit wake-up itself when one is due or pending (not under the test seam's transaction).
    const notify = sealed.length > 1 && !beforeCommit ? claimInlineNotify(this.sql) : undefined;
    const [text, name, params] = sealed.length === 1
      ? [SQL.appendOneIfHead, 'ahe_append_one_if_head', appendOneParams(streamId, head, sealed[0]!)]
      : [SQL.appendIfHead, 'ahe_append_if_head', [...this.writeParams(streamId, head, sealed), head.hash, notify !== undefined]];
    const write = (target: SqlQueryable) => target.query<Written & { notified?: number }>(text, params, name);
    const { rows: [written] } = beforeCommit
      ? await this.sql.transaction(async (tx) => {
          const result = await write(tx);
          if (result.rows[0]?.position) await beforeCommit(streamId);
          return result;
        })
      : await write(this.sql);
    if (!written?.position) {
      this.heads.delete(streamId);
      return undefined;
    }
    const result = this.written(streamId, sealed, written);
    if (written.notified && notify) markAnnouncedInline(this.sql, notify, result);
    return result;
  }

  private async appendLockedWithRetries(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sql.transaction((tx) => this.appendLocked(tx, streamId, events, expected));
      } catch (error) {
        if (!(error instanceof OlderTransaction) || attempt >= MAX_ORDER_RETRIES) throw error;
      }
    }
  }

  private async appendLocked(tx: SqlQueryable, streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const { rows: [row] } = await tx.query<{
      revision: string; last_hash: string; last_recorded_at: Date | null; last_transaction_id: string; transaction_id: string;
    }>(SQL.lockStream, [streamId, GENESIS_HASH], 'ahe_lock_stream');
    // Our transaction id may have been assigned before we waited for the head's lock; writing
    // now would put our events before the head's in the global log. A new transaction is newer.
    if (BigInt(row!.last_transaction_id) > BigInt(row!.transaction_id)) throw new OlderTransaction();
    const revision = Number(row!.revision);
    if (!revisionMatches(expected, revision)) throw new WrongExpectedRevisionError(streamId, expected, revision);
    const head = { revision, hash: row!.last_hash, recordedAt: row!.last_recorded_at };
    const sealed = sealRows(streamId, head, events, this.options.clock());
    const { rows: [written] } = await tx.query<Written>(SQL.insertEvents, this.writeParams(streamId, head, sealed), 'ahe_insert_events');
    await this.options.beforeCommit?.(streamId);
    return this.written(streamId, sealed, written!);
  }

  /** The parameters of SQL.insertEvents (and the first eleven of SQL.appendIfHead). */
  private writeParams(streamId: string, head: StreamHead, sealed: readonly SealedRow[]): unknown[] {
    const last = sealed[sealed.length - 1]!;
    const columns = batchColumns(sealed);
    return [
      streamId, last.revision, last.hash, last.recordedAt, head.revision,
      columns.eventIds, columns.types, columns.schemaVersions, columns.occurredAts, columns.data, columns.metadata,
    ];
  }

  private written(streamId: string, sealed: readonly SealedRow[], written: Written): AppendResult {
    this.heads.set(streamId, headAfter(sealed[sealed.length - 1]!));
    return appendResultOf(streamId, sealed, written);
  }

  /**
   * A retried append whose events are all stored already, as one earlier append of the same
   * events in the same order, answers with what was stored. Anything else reusing stored ids
   * is refused: a retry must not silently stand for different content.
   */
  private async findAppended(streamId: string, events: readonly NewEvent[]): Promise<AppendResult | undefined> {
    const ids = events.map((event) => event.eventId!);
    const { rows } = await this.sql.query<StoredRow>(SQL.findByIds, [JSON.stringify(ids)]);
    if (rows.length === 0) return undefined;
    const refuse = (detail: string) => new DuplicateEventIdError(rows.map((row) => row.event_id), detail);
    if (rows.some((row) => row.stream_id !== streamId)) throw refuse('already stored in another stream');
    if (rows.length < ids.length) throw refuse('part of this batch was stored before');
    rows.forEach((row, index) => {
      // One append is one transaction: a retry cannot stand for events written by several.
      const sameAppend = String(row.transaction_id) === String(rows[0]!.transaction_id);
      if (row.event_id !== ids[index] || Number(row.revision) !== Number(rows[0]!.revision) + index || !sameAppend) {
        throw refuse('stored before, but not as this batch in this order');
      }
      if (sameContent(row) !== sameContent(events[index]!)) throw refuse('stored before with different content');
    });
    const last = rows[rows.length - 1]!;
    return {
      streamId,
      revision: Number(last.revision),
      firstRevision: Number(rows[0]!.revision),
      position: Number(last.global_position),
      eventIds: ids,
      checkpoint: rowCheckpoint(last),
      duplicate: true,
    };
  }
}

type StoredRow = Pick<EventRow, 'event_id' | 'stream_id' | 'revision' | 'global_position' | 'transaction_id' | 'type' | 'schema_version' | 'data'> & {
  occurred_at: Date;
};

/** What makes two events the same event; metadata (correlation ids, actors) may differ on a retry. */
function sameContent(event: StoredRow | NewEvent): string {
  const stored = 'event_id' in event;
  return canonicalize(
    JSON.parse(
      JSON.stringify({
        type: event.type,
        schemaVersion: stored ? event.schema_version : event.schemaVersion,
        occurredAt: new Date(stored ? event.occurred_at : event.occurredAt).toISOString(),
        data: event.data,
      }),
    ),
  )!;
}
