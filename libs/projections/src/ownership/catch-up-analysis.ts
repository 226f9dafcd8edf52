import type { EngineContext } from '../engine/engine-options';
import { analyzeGenerationTables } from '../generations/generation-tables';
import type { ProjectionDefinition } from '../projection.definition';
import type { BatchReport, GenerationRunner } from '../runner/generation-runner';
import { describeError } from '../runner/runner-errors';

/**
 * The first time a serving runner reaches the head after applying `analyzeAfterEvents` or
 * more here (a first catch-up, a projector that was down a while), its tables are analyzed:
 * queries then get plans made with statistics. A building generation is analyzed by the
 * swapper, just before it swaps in.
 */
export class CatchUpAnalysis {
  /** Events each runner applied here before it first reached the head; null once it has. */
  private readonly appliedBeforeHead = new WeakMap<GenerationRunner, number | null>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly definition: ProjectionDefinition,
  ) {}

  async afterBatch({ runner, batch, reachedHead }: BatchReport): Promise<void> {
    const applied = this.appliedBeforeHead.get(runner);
    if (applied === null) return;
    const total = (applied ?? 0) + batch.events.length;
    if (!reachedHead) return void this.appliedBeforeHead.set(runner, total);
    this.appliedBeforeHead.set(runner, null);
    if (total >= this.ctx.analyzeAfterEvents) await analyzeGeneration(this.ctx, this.definition, runner.generation, total);
  }
}

/**
 * Refreshes a generation's planner statistics (see analyzeGenerationTables), after its
 * catch-up here or, by the swapper, before it swaps in. A failure is logged, not fatal: the
 * generation still serves, with guessed plans until autovacuum runs.
 */
export async function analyzeGeneration(ctx: EngineContext, definition: ProjectionDefinition, generation: number, events: number): Promise<void> {
  const name = definition.name;
  try {
    await analyzeGenerationTables(ctx.sql, definition, generation);
    ctx.logger.log(`Projection ${name}: generation ${generation} analyzed after ${events} events`, { projection: name, generation });
  } catch (error) {
    ctx.logger.warn(`Projection ${name}: analyzing generation ${generation} failed: ${describeError(error)}`, { projection: name });
  }
}
