import type { EngineContext } from '../engine/engine-options';
import type { BatchReport } from '../runner/generation-runner';

/** Metrics for a committed batch, and a warning per event it parked (with what to look for). */
export function reportBatch(ctx: EngineContext, name: string, report: BatchReport): void {
  const { runner, batch, parked } = report;
  ctx.metrics.batchApplied({ name, generation: runner.generation, holder: runner.ownerToken, events: batch.events.length, seconds: report.seconds, position: runner.position ?? 0 });
  for (const { event, error } of parked) {
    ctx.metrics.eventParked({ name, generation: runner.generation, eventId: event.eventId, type: event.type, error });
    ctx.logger.warn(`Projection ${name}: parked ${event.type} ${event.eventId} (${event.streamId}@${event.revision}): ${error}`, {
      projection: name,
      generation: runner.generation,
      eventId: event.eventId,
    });
  }
}
