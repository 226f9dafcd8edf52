import { AsyncResource } from 'node:async_hooks';
import type { SqlClient } from '@ahe/database';
import { revisionMatches } from '../append-checks';
import { sealRows } from '../sealed-batch';
import type { ExpectedRevision, NewEvent } from '../event-store.port';
import { GroupWriter, type Outcome, type Sealed, type Waiting } from './group-writer';
import type { StreamHeadCache } from './stream-heads';

/**
 * Statements of single-event appends allowed in flight at once; appends that come meanwhile
 * wait and leave together as one statement when one of these finishes. One rather than two: the
 * same commands in fewer statements and commits, and the HTTP commands' rate measured higher
 * (docs/benchmarks-journal.md, "HTTP commands", the group commit). No statement waits for a
 * head row locked elsewhere (the statements skip it, HEAD_IF_AT_UNLOCKED), so one slot cannot
 * hold every append up behind another transaction's lock.
 */
export const GROUP_SLOTS = 1;
/** The most streams one grouped statement writes; the rest wait for the next. */
export const MAX_GROUP = 256;

/**
 * Group commit of single-event appends at a known head. While fewer than `slots` of their
 * statements are in flight an append goes out alone, as SQL.appendOneIfHead; otherwise it
 * waits, and when a statement finishes everything waiting leaves as one GROUP_SQL statement
 * over many streams (one transaction, so one commit and one WAL flush for all). Each row keeps
 * the single statement's guarantees and is written or not on its own: a row whose head moved
 * comes back unwritten and its caller alone takes the locked path. A stream has at most one
 * write in flight: a second append to it waits for the first and is sealed on the head that
 * one wrote, so both land, in order; and an append to it that does not go through the group
 * (several events, or the locked path) waits for the ones still here (SqlAppender, through
 * pendingFor). On PostgreSQL nothing waits unless statements are in flight; on the embedded
 * store every append waits for the end of its turn of the event loop (below).
 */
export class GroupCommit {
  private inFlight = 0;
  /**
   * Embedded: with PGlite on this thread (EMBEDDED_DB_THREAD=main) each statement runs
   * synchronously, so no append can arrive while one is in flight and every append would go out
   * alone. There an append waits for the end of the event loop's turn (setImmediate), and those
   * that came in the same turn (the requests read together, the timers due together) leave as
   * one statement. With PGlite on its own thread (the default) appends also arrive while one is
   * in flight, as on PostgreSQL; the turn's wait still gathers those of one turn first.
   */
  private readonly gatherTurn: boolean;
  private pumpScheduled = false;
  /**
   * The turn's pump runs in the context the group commit was made in, not in the first
   * caller's: an append made inside some transaction's context (PGlite refuses a statement on
   * the client there) or a request's logging context must not decide where a group runs.
   */
  private readonly pumpDetached = AsyncResource.bind(() => {
    this.pumpScheduled = false;
    try {
      this.pump();
    } catch (error) {
      for (const waiting of this.waiting.splice(0)) waiting.reject(error);
    }
  });
  /** Per stream, settles once its latest append here (and so every earlier one) has settled. */
  private readonly pending = new Map<string, Promise<void>>();
  /** Streams with a statement in flight. */
  private readonly writing = new Set<string>();
  private waiting: Waiting[] = [];
  private readonly writer: GroupWriter;

  constructor(
    sql: SqlClient,
    private readonly heads: StreamHeadCache,
    private readonly clock: () => Date,
    private readonly slots = GROUP_SLOTS,
  ) {
    this.gatherTurn = sql.kind === 'embedded';
    this.writer = new GroupWriter(sql, heads);
  }

  /** Appends one prepared event if the cached head matches `expected`; undefined sends the caller to the locked path. */
  append(streamId: string, event: NewEvent, expected: ExpectedRevision): Promise<Outcome> {
    const outcome = this.enqueue(streamId, event, expected);
    const settled = outcome.then(() => undefined, () => undefined);
    this.pending.set(streamId, settled);
    void settled.then(() => {
      if (this.pending.get(streamId) === settled) this.pending.delete(streamId);
    });
    return outcome;
  }

  /** Settles once the appends to `streamId` waiting or in flight here have; undefined when there are none. */
  pendingFor(streamId: string): Promise<void> | undefined {
    return this.pending.get(streamId);
  }

  private enqueue(streamId: string, event: NewEvent, expected: ExpectedRevision): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      const waiting: Waiting = { streamId, event, expected, resolve, reject };
      if (this.inFlight >= this.slots || this.writing.has(streamId)) {
        this.waiting.push(waiting);
        return;
      }
      if (this.gatherTurn) {
        this.waiting.push(waiting);
        this.pumpAtEndOfTurn();
        return;
      }
      const sealed = this.seal(waiting, this.clock());
      if (sealed) void this.send([sealed]);
    });
  }

  /** Seals an append on the head cached now, or settles it at once (locked path, or its error). */
  private seal(waiting: Waiting, now: Date): Sealed | undefined {
    const head = this.heads.get(waiting.streamId);
    if (!head || !revisionMatches(waiting.expected, head.revision)) {
      waiting.resolve(undefined);
      return undefined;
    }
    try {
      return { ...waiting, head, row: sealRows(waiting.streamId, head, [waiting.event], now)[0]! };
    } catch (error) {
      waiting.reject(error);
      return undefined;
    }
  }

  private pumpAtEndOfTurn(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(this.pumpDetached);
  }

  /** Sends what waits while slots are free: each stream's first append, at most MAX_GROUP, in one statement. */
  private pump(): void {
    while (this.inFlight < this.slots && this.waiting.length > 0) {
      const group: Sealed[] = [];
      const inGroup = new Set<string>();
      const left: Waiting[] = [];
      const now = this.clock();
      for (const waiting of this.waiting) {
        if (group.length >= MAX_GROUP || this.writing.has(waiting.streamId) || inGroup.has(waiting.streamId)) {
          left.push(waiting);
          continue;
        }
        const sealed = this.seal(waiting, now);
        if (!sealed) continue;
        group.push(sealed);
        inGroup.add(waiting.streamId);
      }
      this.waiting = left;
      // Whatever is left waits for a stream or a group in flight, which pumps again when done.
      if (group.length === 0) return;
      void this.send(group.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0)));
    }
  }

  private async send(group: readonly Sealed[]): Promise<void> {
    this.inFlight++;
    for (const sealed of group) this.writing.add(sealed.streamId);
    try {
      await this.writer.send(group);
    } catch (error) {
      // Not expected (the writer settles every append): no caller is left waiting. Settling twice is a no-op.
      for (const sealed of group) sealed.reject(error);
    } finally {
      for (const sealed of group) this.writing.delete(sealed.streamId);
      this.inFlight--;
      this.pump();
    }
  }
}
