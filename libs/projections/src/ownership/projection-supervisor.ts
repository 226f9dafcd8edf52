import { randomUUID } from 'node:crypto';
import type { AdvisoryLease } from '@ahe/database';
import { compareCheckpoints, type Checkpoint } from '@ahe/event-store';
import type { EngineContext } from '../engine/engine-options';
import { claimGenerations } from '../generations/generation-setup';
import { readGenerations, type GenerationRow } from '../generations/generation-rows';
import type { ProjectionDefinition } from '../projection.definition';
import { GenerationRunner, type BatchReport } from '../runner/generation-runner';
import { Mutex } from '../runner/mutex';
import { FencedOutError } from '../runner/runner-errors';
import type { LogProbe } from '../status/log-probe';
import { reportBatch } from './batch-reporting';
import { CatchUpAnalysis } from './catch-up-analysis';
import { startGenerationRunner } from './generation-runner-start';
import { GenerationSwapper } from './generation-swapper';
import { ProjectionUpkeep } from './projection-upkeep';
import { takeRebuildRequestsInTurn } from './rebuild-requests-in-turn';
import { RunnerRestarts, type RestartedProjection } from './runner-restarts';
import type { SupervisorHooks } from './supervised-projection';

/**
 * Everything one process does for a projection it holds the lock of: claims the generations,
 * runs the serving one (unless frozen) and a building one, restarts a runner that failed,
 * swaps a building generation in once caught up, answers rebuild requests, heartbeats and
 * refreshes. Stopped when the lease is lost, the engine stops, or it is fenced out.
 */
export class ProjectionSupervisor implements RestartedProjection {
  readonly ownerToken = randomUUID();
  serving?: GenerationRunner;
  building?: GenerationRunner;
  /** The serving generation's number; its runner is absent while it is frozen (stale). */
  servingGeneration = 0;
  frozenAt?: Checkpoint;
  private stopping = false;
  /** A held generation's runner on its way out: stop() waits for it too. */
  private settingAside?: Promise<void>;
  private readonly setup = new Mutex();
  private readonly swapper: GenerationSwapper;
  private readonly upkeep: ProjectionUpkeep;
  private readonly restarts: RunnerRestarts;
  private readonly analysis: CatchUpAnalysis;

  constructor(
    private readonly ctx: EngineContext,
    readonly definition: ProjectionDefinition,
    readonly lease: AdvisoryLease,
    readonly probe: LogProbe,
    private readonly hooks: SupervisorHooks,
  ) {
    this.swapper = new GenerationSwapper(ctx, this);
    this.upkeep = new ProjectionUpkeep(ctx, this);
    this.restarts = new RunnerRestarts(ctx, this);
    this.analysis = new CatchUpAnalysis(ctx, definition);
  }

  get name(): string {
    return this.definition.name;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  async start(): Promise<void> {
    const plan = await claimGenerations(this.ctx.sql, this.definition, { owner: this.ctx.owner, ownerToken: this.ownerToken });
    this.servingGeneration = plan.serving.generation;
    if (plan.serving.status === 'stale') this.frozenAt = plan.serving.checkpoint;
    else this.serving = this.launch(plan.serving);
    // A generation held back from its swap stays as it stands until a rebuild replaces it.
    if (plan.building && !plan.building.swapHeld) this.startBuilding(plan.building);
    await this.swapper.dropLeftovers();
    await this.checkRebuildRequests();
    this.upkeep.start();
    const frozen = this.frozenAt ? ` (frozen: version ${plan.serving.version} is not this code's ${this.definition.version})` : '';
    this.ctx.logger.log(`Projection ${this.name}: serving generation ${this.servingGeneration}${frozen}`, { projection: this.name, owner: this.ctx.owner });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.restarts.stop();
    const upkeepStopped = this.upkeep.stop();
    // At once, not after the batches in flight, which a database gone silent can hold up for long:
    // another process may run the projection already. The upkeep samples no lag from here on.
    this.ctx.metrics.projectionReleased?.({ name: this.name });
    await upkeepStopped;
    await this.setup.run(async () => undefined);
    const runners = [this.serving, this.building].filter((runner): runner is GenerationRunner => runner !== undefined);
    await Promise.all([...runners.map((runner) => runner.stop()), this.settingAside]);
    for (const runner of runners) this.ctx.metrics.generationStopped?.({ name: this.name, generation: runner.generation, holder: runner.ownerToken });
    await this.upkeep.clearHeartbeat();
    await this.lease.release();
  }

  /** Whether every generation running here has applied the log up to `target` (null: an empty log). */
  caughtUp(target: Checkpoint | null): boolean {
    if (this.frozenAt || !this.serving) return false;
    const reached = (runner: GenerationRunner) => target === null || compareCheckpoints(runner.settled, target) >= 0;
    return reached(this.serving) && (!this.building || reached(this.building));
  }

  /** Starts a building generation if a rebuild was requested; in turn with claims and restarts. */
  checkRebuildRequests(): Promise<void> {
    return this.setup.run(async () => {
      if (this.stopping) return;
      const started = await takeRebuildRequestsInTurn(this.ctx, this);
      if (started === null) return;
      const [row] = (await readGenerations(this.ctx.sql, [this.name], { statuses: ['building'] })).filter((found) => found.generation === started);
      if (!row) return;
      await this.swapper.dropLeftovers();
      this.ctx.logger.log(`Projection ${this.name}: rebuilding into generation ${started} while generation ${this.servingGeneration} serves`, { projection: this.name });
      this.startBuilding(row);
    });
  }

  /** Called by the swapper once the building generation serves. */
  promote(runner: GenerationRunner): GenerationRunner | undefined {
    const previous = this.serving;
    runner.readAlone();
    this.serving = runner;
    this.building = undefined;
    this.servingGeneration = runner.generation;
    this.frozenAt = undefined;
    this.hooks.swapped(this.name, runner.generation);
    this.upkeep.swappedIn();
    return previous;
  }

  setAside(runner: GenerationRunner): void {
    if (runner !== this.building) return;
    this.building = undefined;
    this.settingAside = runner.stop().then(() => this.ctx.metrics.generationStopped?.({ name: this.name, generation: runner.generation, holder: runner.ownerToken }));
  }

  /** Swaps the building generation in if it has caught up without a batch to notice it after. */
  async swapIfCaughtUp(): Promise<void> {
    const runner = this.building;
    if (!runner || runner.stopped) return;
    try {
      await runner.exclusive(() => this.swapper.trySwap(runner, false));
    } catch (error) {
      if (error instanceof FencedOutError) this.abandon(error.message);
      else throw error;
    }
  }

  abandon(reason: string): void {
    if (!this.stopping) this.hooks.abandon(reason);
  }

  /**
   * `runner` was fenced out of its generation. Our own swap does that to the serving runner
   * between its commit and promote(): once the swap attempt is over, that runner is no longer
   * the serving one and nothing is wrong. Any other fencing means the projection was taken over.
   */
  fencedOut(runner: GenerationRunner, reason: string): void {
    const swap = this.swapper.inFlight;
    if (swap && runner === this.serving) return void swap.then(() => this.fencedOut(runner, reason));
    if (runner === this.serving || runner === this.building) this.abandon(reason);
  }

  private startBuilding(row: GenerationRow): void {
    const runner = this.launch(row);
    this.building = runner;
    // An empty log, or one read to its end by an earlier owner, brings no batch to swap after.
    void this.swapIfCaughtUp().catch(() => undefined);
  }

  private launch(row: GenerationRow): GenerationRunner {
    const runner = startGenerationRunner(this.ctx, this.definition, row, this.ownerToken, (report) => this.afterBatch(report));
    runner.done.catch((error) => this.restarts.failed(runner, error));
    return runner;
  }

  private async afterBatch(report: BatchReport): Promise<void> {
    this.restarts.succeeded(report.runner.generation);
    reportBatch(this.ctx, this.name, report);
    if (report.runner === this.building) return this.swapper.trySwap(report.runner, report.reachedHead);
    // At the head a serving generation reads on alone: live, no other read model's pace holds it back.
    if (report.reachedHead && report.runner.paced) report.runner.readAlone();
    await this.analysis.afterBatch(report);
  }

  /**
   * @internal For RunnerRestarts: a restart reads the generation row and replaces the runner,
   * which must not interleave with a claim, a rebuild request or another restart.
   */
  inTurn(step: () => Promise<void>): Promise<void> {
    return this.setup.run(step);
  }

  /**
   * @internal For RunnerRestarts, inside inTurn, once it has stopped `failed` and checked that it
   * still serves or builds here and `row` is still ours with that status: nothing is checked here.
   */
  replace(failed: GenerationRunner, row: GenerationRow): void {
    if (failed === this.serving) this.serving = this.launch(row);
    else this.startBuilding(row);
  }
}
