import type { SqlClient, SqlQueryable } from '@ahe/database';
import type { Checkpoint, EventEnvelope, GlobalBatch } from '@ahe/event-store';
import type { ProjectionContext, ProjectionDefinition } from '../projection.definition';
import { physicalName } from '../schema/projection-names';
import { describeError, FencedOutError, isParkable } from './runner-errors';

export interface WriterTarget {
  readonly definition: ProjectionDefinition;
  readonly generation: number;
  /** The lease's fencing token, stored on the generation row when the lease was taken. */
  readonly ownerToken: string;
}

export interface BatchFacts {
  /** The checkpoint the generation row must still hold: anyone else moving it fences us out. */
  readonly from: Checkpoint;
  /** True when the read came back short: the batch reached the head of the log. */
  readonly reachedHead: boolean;
  readonly eventsPerSecond: number;
}

export interface ParkedEvent {
  readonly event: EventEnvelope;
  readonly error: string;
}

/**
 * The settings of a batch's transaction, local to it (`set_config(…, true)`, usable in any
 * statement's select list): no wait for the disk, statements planned for their parameters,
 * rows found by index, nothing compiled.
 * See `advance` below; the scratch replay of `ahe replay --verify` applies its batches so too.
 */
export const BATCH_SETTINGS = "set_config('synchronous_commit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true), set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)";

/** The projection's view of one generation's tables, inside one transaction. */
export function contextFor(tx: SqlQueryable, definition: ProjectionDefinition, generation: number, now: Date): ProjectionContext {
  const physical = new Map(definition.tables.map((table) => [table.name, physicalName(table.name, generation)]));
  return {
    tx,
    now,
    table: (name) => {
      const found = physical.get(name);
      if (!found) throw new Error(`projection ${definition.name} has no table ${name}`);
      return found;
    },
  };
}

/**
 * Commits a batch's read-model writes and the generation's checkpoint in one transaction. When
 * the projection throws, the batch is applied again event by event behind savepoints, still in
 * one transaction: an event that throws is parked with its error and its writes undone, the
 * others are applied, and the checkpoint moves past all of them. Errors that are the
 * database's (an outage, a lost race) and fencing are never parked: they reach the caller.
 */
export class BatchWriter {
  constructor(
    private readonly sql: SqlClient,
    private readonly target: WriterTarget,
    private readonly clock: () => Date,
  ) {}

  async write(batch: GlobalBatch, facts: BatchFacts): Promise<ParkedEvent[]> {
    const now = this.clock();
    try {
      await this.sql.transaction(async (tx) => {
        await this.advance(tx, batch, facts);
        await this.target.definition.apply(batch.events, contextFor(tx, this.target.definition, this.target.generation, now));
      });
      return [];
    } catch (error) {
      if (!isParkable(error)) throw error;
    }
    return this.sql.transaction(async (tx) => {
      await this.advance(tx, batch, facts);
      const context = contextFor(tx, this.target.definition, this.target.generation, now);
      const parked: ParkedEvent[] = [];
      for (const event of batch.events) {
        await tx.query('SAVEPOINT ahe_event');
        try {
          await this.target.definition.apply([event], context);
        } catch (error) {
          if (!isParkable(error)) throw error;
          await tx.query('ROLLBACK TO SAVEPOINT ahe_event');
          parked.push({ event, error: describeError(error) });
          await this.park(tx, event, describeError(error));
        }
        await tx.query('RELEASE SAVEPOINT ahe_event');
      }
      return parked;
    });
  }

  /**
   * First statement of every batch: moves the checkpoint only if the row is still ours and
   * still where we left it. Taking the row lock first also orders us behind a swap or another
   * writer before we touch any table, so neither can deadlock with us. It also turns
   * synchronous_commit off for the transaction (SET LOCAL, without a round trip of its own):
   * a batch lost in a crash is lost with its checkpoint and applied again, so it need not wait
   * for the disk (ADR 0005), which is most of a small batch's commit on PostgreSQL.
   *
   * It also plans the batch's statements for their parameters (plan_cache_mode, SET LOCAL too).
   * The read models' named statements look rows up by `= ANY($1)`; a connection's generic plan
   * of one is made once, often while the generation's tables are still nearly empty, and is
   * then a sequential scan testing each row against the whole array one element at a time,
   * kept for the connection's life however the table grows (autovacuum may be off: no
   * ANALYZE replans it). Rebuilding satisfaction_trends alone over the 1M-event data set took
   * 98 s so, with its backend at 92 µs an event; planned per batch, 11 s and 7 µs. A plan made
   * with the array in hand hashes it and sees the table as it is now, for well under a
   * millisecond a statement. And index lookups only (enable_seqscan off): the plan made for
   * the array still scanned the whole table once the generation's tables held tens of thousands
   * of rows, while a rebuild's batch names a few hundred accounts; a batch's statements are all
   * lookups and writes by key. satisfaction_trends and escalations rebuilt from the 1M-event
   * data set: their lookups 5.4–6.8 → 3.5 s of database time, the backends 11.5–12.7 → 10.7–10.8
   * µs an event. Without JIT (jit off): a statement that has to scan (the 5 rows of the
   * current LTV fit, read every batch) is costed at 10¹⁰ then, far past the JIT thresholds,
   * and compiling it took 20-200 ms a batch; no batch statement reads enough rows to gain.
   */
  private async advance(tx: SqlQueryable, batch: GlobalBatch, facts: BatchFacts): Promise<void> {
    const { definition, generation, ownerToken } = this.target;
    const last = batch.events[batch.events.length - 1]!;
    const at = new Date();
    const { rows } = await tx.query(
      `UPDATE projection_generations
       SET checkpoint_commit = $3, checkpoint_prepare = $4, position = $5, events_processed = events_processed + $6,
           events_per_second = $7, last_batch_at = $8, updated_at = $8, last_error = NULL,
           caught_up_at = CASE WHEN $9::boolean THEN coalesce(caught_up_at, $8) ELSE caught_up_at END
       WHERE name = $1 AND generation = $2 AND owner_token = $10 AND checkpoint_commit = $11 AND checkpoint_prepare = $12
         AND status IN ('serving', 'building')
       RETURNING generation, ${BATCH_SETTINGS}`,
      [
        definition.name, generation, batch.checkpoint.commit.toString(), batch.checkpoint.prepare.toString(), last.globalPosition,
        batch.events.length, facts.eventsPerSecond, at, facts.reachedHead, ownerToken, facts.from.commit.toString(), facts.from.prepare.toString(),
      ],
      'ahe_projection_advance',
    );
    if (rows.length === 0) throw new FencedOutError(definition.name, generation);
  }

  private async park(tx: SqlQueryable, event: EventEnvelope, error: string): Promise<void> {
    await tx.query(
      `INSERT INTO projection_parked_events (name, generation, event_id, global_position, stream_id, revision, type, error, parked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [this.target.definition.name, this.target.generation, event.eventId, event.globalPosition, event.streamId, event.revision, event.type, error, new Date()],
    );
  }
}
