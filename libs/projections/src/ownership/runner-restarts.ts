import type { EngineContext } from '../engine/engine-options';
import { readGenerations, recordGenerationError, type GenerationRow } from '../generations/generation-rows';
import type { GenerationRunner } from '../runner/generation-runner';
import { describeError, FencedOutError, isTransientDatabaseError } from '../runner/runner-errors';
import { RestartBackoff } from './restart-backoff';
import type { SupervisedProjection } from './supervised-projection';

/** What the restarts ask of the supervisor beyond what the swapper and the upkeep see. */
export interface RestartedProjection extends SupervisedProjection {
  /** Runs `step` in turn with the claims, the rebuild requests and the other restarts. */
  inTurn(step: () => Promise<void>): Promise<void>;
  /** Runs a fresh runner of `row` in the place of `failed`. */
  replace(failed: GenerationRunner, row: GenerationRow): void;
}

/** A supervisor's runners that failed, each started again after its backoff (see RestartBackoff). */
export class RunnerRestarts {
  private readonly backoff = new RestartBackoff();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly supervisor: RestartedProjection,
  ) {}

  /** A batch of `generation` committed: its next failure waits the shortest time again. */
  succeeded(generation: number): void {
    this.backoff.reset(generation);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  failed(runner: GenerationRunner, error: unknown): void {
    const { supervisor, ctx } = this;
    // A runner swapped out is fenced out on its next batch: expected, and already replaced.
    if (supervisor.isStopping || runner.stopped || (runner !== supervisor.serving && runner !== supervisor.building)) return;
    if (error instanceof FencedOutError) return supervisor.fencedOut(runner, error.message);
    const delay = this.backoff.next(runner.generation, error);
    const message = describeError(error);
    const line = `Projection ${supervisor.name} generation ${runner.generation} stopped: ${message}; restarting in ${delay} ms`;
    if (isTransientDatabaseError(error)) ctx.logger.warn(line, { projection: supervisor.name });
    else {
      ctx.logger.error(line, { projection: supervisor.name });
      void recordGenerationError(ctx.sql, supervisor.name, runner.generation, message, new Date()).catch(() => undefined);
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void supervisor.inTurn(() => this.restart(runner)).catch((failure) => this.failed(runner, failure));
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  /** A fresh runner from the stored checkpoint: the failed batch was rolled back. */
  private async restart(failed: GenerationRunner): Promise<void> {
    const { supervisor } = this;
    if (supervisor.isStopping || (failed !== supervisor.serving && failed !== supervisor.building)) return;
    const [row] = (await readGenerations(this.ctx.sql, [supervisor.name])).filter((found) => found.generation === failed.generation);
    const expected = failed === supervisor.serving ? 'serving' : 'building';
    if (row?.ownerToken !== supervisor.ownerToken || row.status !== expected) return supervisor.abandon(`generation ${failed.generation} is no longer ours as ${expected}`);
    await failed.stop();
    supervisor.replace(failed, row);
  }
}
