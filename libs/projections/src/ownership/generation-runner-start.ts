import type { EngineContext } from '../engine/engine-options';
import type { GenerationRow } from '../generations/generation-rows';
import type { ProjectionDefinition } from '../projection.definition';
import { GenerationRunner, type BatchReport } from '../runner/generation-runner';
import { describeError } from '../runner/runner-errors';

/**
 * A running runner for `row`, from its stored checkpoint: a building generation reads in rebuild
 * batches (rebuildBatchSize), a serving one in live batches, unless the projection sets its own.
 */
export function startGenerationRunner(
  ctx: EngineContext,
  definition: ProjectionDefinition,
  row: GenerationRow,
  ownerToken: string,
  afterBatch: (report: BatchReport) => Promise<void>,
): GenerationRunner {
  const name = definition.name;
  const runner = new GenerationRunner({
    sql: ctx.sql,
    log: ctx.log,
    definition,
    generation: row.generation,
    from: row.checkpoint,
    position: row.position,
    ownerToken,
    batchSize: row.status === 'building' ? (definition.batchSize ?? ctx.rebuildBatchSize) : (definition.batchSize ?? ctx.batchSize),
    clock: ctx.clock,
    pacing: ctx.pacing,
    afterBatch,
    onReadError: (error) => ctx.logger.warn(`Projection ${name}: reading the log failed, retrying: ${describeError(error)}`, { projection: name }),
  });
  runner.eventsProcessed = row.eventsProcessed;
  runner.start();
  return runner;
}
