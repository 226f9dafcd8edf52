import type { EngineContext } from '../engine/engine-options';
import { swapGeneration } from '../generations/generation-swap';
import { dropGenerationTables, leftoverGenerations } from '../generations/generation-tables';
import type { ProjectionDefinition } from '../projection.definition';
import { recordGenerationError } from '../generations/generation-rows';
import type { GenerationRunner } from '../runner/generation-runner';
import { describeError, FencedOutError } from '../runner/runner-errors';
import { analyzeGeneration } from './catch-up-analysis';
import type { SupervisedProjection } from './supervised-projection';

/**
 * How long the serving generation's runner waits, after a swap refused because it was ahead,
 * for the building generation's next batch and the next attempt.
 */
const SERVING_HOLD_MS = 2_000;

/**
 * Blue/green for one projection: swaps a building generation in once it has read the log to
 * its end, then stops the old generation's runner and drops its tables.
 *
 * A swap is refused while the serving generation has applied events the building one has not.
 * Under writes that never pause, the serving runner (small live batches) can apply each new
 * event before the building one (rebuild batches) reads it, attempt after attempt. So a refusal
 * holds the serving runner's next batch until the next attempt (or SERVING_HOLD_MS): the
 * building generation then catches up with a serving one that stands still.
 */
export class GenerationSwapper {
  /**
   * The swap transaction under way, settled once the runners are promoted (or it failed). The
   * commit retires the serving generation before promote() runs: its runner's batch or refresh
   * in flight may be fenced out in between, which is this swap, not a takeover.
   */
  inFlight?: Promise<void>;
  /** Generations analyzed before their swap (once each, whichever path tries the swap). */
  private readonly analyzed = new Set<number>();
  /** Ends the hold on the serving runner taken after the last refused attempt. */
  private releaseServing?: () => void;

  constructor(
    private readonly ctx: EngineContext,
    private readonly supervisor: SupervisedProjection,
  ) {}

  /**
   * Must run in turn with `runner`'s batches (after one, or through `exclusive`). A failed
   * attempt is logged and tried again after the next batch or heartbeat; only fencing ends
   * the runner.
   */
  async trySwap(runner: GenerationRunner, reachedHead: boolean): Promise<void> {
    const { supervisor, ctx } = this;
    if (supervisor.isStopping || runner !== supervisor.building || runner.stopped) return;
    const name = supervisor.name;
    let settle = (): void => undefined;
    try {
      if (!reachedHead && (await ctx.store.readAll({ after: runner.checkpoint, limit: 1 })).events.length > 0) return;
      if (!this.analyzed.has(runner.generation) && runner.eventsProcessed >= ctx.analyzeAfterEvents) {
        this.analyzed.add(runner.generation);
        await analyzeGeneration(ctx, supervisor.definition, runner.generation, runner.eventsProcessed);
      }
      this.inFlight = new Promise<void>((resolve) => (settle = resolve));
      const outcome = await swapGeneration(ctx.sql, supervisor.definition, runner.generation, supervisor.ownerToken);
      // The last refusal's hold ends with this attempt: before the old runner is stopped below.
      this.endHold();
      if (!outcome.swapped && outcome.held) return this.hold(runner, outcome.reason);
      // Behind, the serving generation must read on, not stand still, for the next attempt to compare like with like.
      if (!outcome.swapped && outcome.waitForServing) return;
      if (!outcome.swapped) return this.holdServing();
      const previous = supervisor.promote(runner);
      ctx.logger.log(
        `Projection ${name}: generation ${runner.generation} (version ${supervisor.definition.version}) swapped in at position ${runner.position ?? 0}` +
          (outcome.retired ? `, generation ${outcome.retired.generation} retired` : ''),
        { projection: name, generation: runner.generation },
      );
      void this.retire(previous, outcome.retired);
    } catch (error) {
      this.endHold();
      if (error instanceof FencedOutError) throw error;
      const message = `swap of generation ${runner.generation} failed: ${describeError(error)}`;
      ctx.logger.warn(`Projection ${name}: ${message}; trying again`, { projection: name });
      await recordGenerationError(ctx.sql, name, runner.generation, message, new Date()).catch(() => undefined);
    } finally {
      this.inFlight = undefined;
      settle();
    }
  }

  /**
   * Parked events stay parked, so no later attempt could succeed, and reading on would only park
   * more: the generation stops where it stands until a new rebuild replaces it (takeRebuildRequests).
   */
  private hold(runner: GenerationRunner, reason: string): void {
    this.supervisor.setAside(runner);
    const name = this.supervisor.name;
    this.ctx.logger.warn(`Projection ${name}: ${reason}; generation ${this.supervisor.servingGeneration} keeps serving`, { projection: name, generation: runner.generation });
  }

  /** Keeps the serving runner from its next batch until the next attempt, SERVING_HOLD_MS at most. */
  private holdServing(): void {
    const serving = this.supervisor.serving;
    if (!serving || serving.stopped) return;
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(release, SERVING_HOLD_MS);
    timer.unref();
    this.releaseServing = () => {
      clearTimeout(timer);
      release();
    };
    void serving.exclusive(() => released);
  }

  private endHold(): void {
    this.releaseServing?.();
    this.releaseServing = undefined;
  }

  /** Tables of generations retired before a crash could drop them. */
  async dropLeftovers(): Promise<void> {
    for (const { generation, tables } of await leftoverGenerations(this.ctx.sql, this.supervisor.name)) await this.drop(generation, tables);
  }

  private async retire(previous: GenerationRunner | undefined, retired: { generation: number; tables: readonly string[] } | null): Promise<void> {
    if (previous) {
      await previous.stop();
      this.ctx.metrics.generationStopped?.({ name: this.supervisor.name, generation: previous.generation, holder: previous.ownerToken });
    }
    if (retired) await this.drop(retired.generation, retired.tables);
  }

  /** Left for the next owner's start when it fails (a BI tool's view on the physical table, say). */
  private async drop(generation: number, tables: readonly string[]): Promise<void> {
    try {
      await dropGenerationTables(this.ctx.sql, this.supervisor.name, generation, tables, new Date());
    } catch (error) {
      this.ctx.logger.warn(`Projection ${this.supervisor.name}: dropping the tables of retired generation ${generation} failed: ${describeError(error)}`, {
        projection: this.supervisor.name,
      });
    }
  }
}
