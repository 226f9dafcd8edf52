import type { EngineContext } from '../engine/engine-options';
import type { ProjectionDefinition } from '../projection.definition';
import type { BatchReport, GenerationRunner } from '../runner/generation-runner';
import { analyzeGeneration } from './generation-swapper';

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
