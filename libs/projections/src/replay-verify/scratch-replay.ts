import { performance } from 'node:perf_hooks';
import type { SqlClient } from '@ahe/database';
import { compareCheckpoints, START, type Checkpoint, type EventEnvelope, type EventStore, type GlobalBatch } from '@ahe/event-store';
import type { ProjectionDefinition } from '../projection.definition';
import { BATCH_SETTINGS } from '../runner/batch-writer';
import { describeError, isParkable } from '../runner/runner-errors';
import { stopIfAsked } from './replay-errors';
import type { ParkedRecord } from './replay-report';
import { scratchContext } from './scratch-tables';

export interface ScratchReplayOptions {
  readonly sql: SqlClient;
  readonly store: EventStore;
  readonly definition: ProjectionDefinition;
  /** The last event to apply: the live generation's checkpoint. */
  readonly head: Checkpoint;
  readonly batchSize: number;
  readonly clock: () => Date;
  readonly signal?: AbortSignal;
  readonly onBatch?: (eventsReplayed: number) => void;
}

export interface ScratchReplay {
  readonly events: number;
  readonly seconds: number;
  readonly parked: readonly ParkedRecord[];
}

/**
 * Applies the log from its start to `head`, in batches of the engine's size, into the `__rv`
 * tables, with the projection's own `apply` and the engine's batch semantics: one transaction
 * per batch; when `apply` throws, the batch again event by event, the ones that throw parked
 * (here: reported) and their writes undone. Errors of the database are not parked: they end
 * the run, as they would stall the engine.
 */
export async function replayIntoScratch(options: ScratchReplayOptions): Promise<ScratchReplay> {
  const started = performance.now();
  const parked: ParkedRecord[] = [];
  let after = START;
  let events = 0;
  while (compareCheckpoints(after, options.head) < 0) {
    await stopIfAsked(options.signal);
    const batch = await readUpTo(options.store, after, options.batchSize, options.head);
    if (batch.events.length === 0) break;
    parked.push(...(await applyBatch(options, batch.events)));
    after = batch.checkpoint;
    events += batch.events.length;
    options.onBatch?.(events);
  }
  return { events, seconds: (performance.now() - started) / 1000, parked };
}

/**
 * The next batch, cut at `head`: the batch that crosses it is read again one event at a time
 * (global batches only carry their last event's checkpoint), which happens once per run.
 */
async function readUpTo(store: EventStore, after: Checkpoint, limit: number, head: Checkpoint): Promise<GlobalBatch> {
  const batch = await store.readAll({ after, limit });
  if (batch.events.length === 0 || compareCheckpoints(batch.checkpoint, head) <= 0) return batch;
  const events: EventEnvelope[] = [];
  let checkpoint = after;
  while (events.length < limit) {
    const next = await store.readAll({ after: checkpoint, limit: 1 });
    if (next.events.length === 0 || compareCheckpoints(next.checkpoint, head) > 0) break;
    events.push(next.events[0]!);
    checkpoint = next.checkpoint;
  }
  return { events, checkpoint };
}

async function applyBatch(options: ScratchReplayOptions, events: readonly EventEnvelope[]): Promise<ParkedRecord[]> {
  const { sql, definition } = options;
  const now = options.clock();
  try {
    await sql.transaction(async (tx) => {
      // As the engine's batches: scratch rows lost in a crash are dropped anyway, and the
      // scratch tables start empty (a plan made then would not fit them for long).
      await tx.query(`SELECT ${BATCH_SETTINGS}`);
      await definition.apply(events, scratchContext(tx, definition, 'replay', now));
    });
    return [];
  } catch (error) {
    if (!isParkable(error)) throw error;
  }
  return sql.transaction(async (tx) => {
    await tx.query(`SELECT ${BATCH_SETTINGS}`);
    const context = scratchContext(tx, definition, 'replay', now);
    const parked: ParkedRecord[] = [];
    for (const event of events) {
      await tx.query('SAVEPOINT ahe_replay_event');
      try {
        await definition.apply([event], context);
      } catch (error) {
        if (!isParkable(error)) throw error;
        await tx.query('ROLLBACK TO SAVEPOINT ahe_replay_event');
        const { eventId, globalPosition, streamId, revision, type } = event;
        parked.push({ eventId, globalPosition, streamId, revision, type, error: describeError(error) });
      }
      await tx.query('RELEASE SAVEPOINT ahe_replay_event');
    }
    return parked;
  });
}
