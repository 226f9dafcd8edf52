import type { ProjectionLeases } from '../ownership/projection-leases';
import type { ProjectionDefinition } from '../projection.definition';
import { FailureStreak, type RebuildFailure } from '../rebuild/failure-streak';
import { RebuildHeldError } from '../rebuild/rebuild-held.error';
import { requestRebuild, UnknownProjectionError } from '../rebuild/rebuild-requests';
import { rebuildState } from '../rebuild/rebuild-progress';
import type { LogProbe } from '../status/log-probe';
import type { EngineContext, RebuildProgress } from './engine-options';

const REBUILD_POLL_MS = 200;
/** Counting the events left scans them: a progress report a second is plenty. */
const PROGRESS_EVERY_MS = 1_000;

export interface RebuildOptions {
  readonly onProgress?: (progress: RebuildProgress) => void;
  /**
   * Stops waiting, with the signal's reason, within a poll; a generation this engine was building
   * for the call (not started, it took the projection for the rebuild only) stops after its batch
   * in flight, as unfinished as a crash would leave it.
   */
  readonly signal?: AbortSignal;
  /**
   * Each failure the owner records for the generation being built, once: it starts the
   * generation again for ever, so whether to stop waiting (abort `signal`) is the caller's call.
   */
  readonly onFailure?: (failure: RebuildFailure) => void;
}

/** What the rebuilds ask of the engine they run in. */
export interface RebuildingEngine {
  isStarted(): boolean;
  /** The bookkeeping tables, created once; resolves to the schema they are in. */
  prepare(): Promise<string>;
}

/** The engine's rebuilds: requested, taken with the shared log held, and waited for until they serve. */
export class EngineRebuilds {
  private readonly swapWaiters = new Set<() => void>();
  /** Holds on the shared log kept after rebuild requests were taken (take), released on stop at the latest. */
  private readonly gathering = new Map<NodeJS.Timeout, () => void>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly definitions: ReadonlyMap<string, ProjectionDefinition>,
    private readonly leases: ProjectionLeases,
    private readonly probe: LogProbe,
    private readonly engine: RebuildingEngine,
  ) {}

  /** See ProjectionEngine.rebuild. */
  async run(name: string, options: RebuildOptions = {}): Promise<void> {
    if (!this.definitions.has(name)) throw new UnknownProjectionError(name, [...this.definitions.keys()]);
    await this.engine.prepare();
    const request = await requestRebuild(this.ctx.sql, name, { names: [...this.definitions.keys()], requestedBy: this.ctx.owner, reason: 'rebuild' });
    const wasStarted = this.engine.isStarted();
    let lastTry = 0;
    let lastReportAt = 0;
    const failures = new FailureStreak();
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        if (wasStarted && !this.engine.isStarted()) throw new Error(`the projection engine stopped before the rebuild of ${name} finished`);
        if (!this.leases.get(name) && Date.now() - lastTry >= this.ctx.lockRetryMs) {
          lastTry = Date.now();
          await this.take(async () => (await this.leases.take(this.definitions.get(name)!))?.checkRebuildRequests());
        }
        const withProgress = options.onProgress !== undefined && Date.now() - lastReportAt >= PROGRESS_EVERY_MS;
        const state = await rebuildState(this.ctx.sql, this.probe, name, request.id, withProgress);
        if (state.done) return;
        if (state.held) throw new RebuildHeldError(name, state.held.generation, state.held.reason);
        if (state.progress) {
          lastReportAt = Date.now();
          options.onProgress!(state.progress);
        }
        const failure = failures.observe(state.failure);
        if (failure) options.onFailure?.(failure);
        await this.untilSwapOr(REBUILD_POLL_MS);
      }
    } finally {
      const supervisor = this.leases.get(name);
      if (!this.engine.isStarted() && supervisor) await this.leases.release(supervisor, null);
    }
  }

  /**
   * Takes rebuild requests (`claim`) with the shared log held, and holds it `rebuildGatherMs`
   * longer: the generations of rebuilds requested together, each set up on its own, then read
   * the log in one cohort (SharedLog.hold) instead of one read each.
   */
  async take(claim: () => Promise<void>): Promise<void> {
    const release = this.ctx.log.hold();
    try {
      await claim();
    } finally {
      const timer = setTimeout(() => {
        this.gathering.delete(timer);
        release();
      }, this.ctx.rebuildGatherMs);
      this.gathering.set(timer, release);
    }
  }

  /** The engine stops: the log is held no longer. */
  releaseHolds(): void {
    for (const [timer, release] of this.gathering) {
      clearTimeout(timer);
      release();
    }
    this.gathering.clear();
  }

  /** Rebuilds waiting look again: a generation swapped in, or the engine stopped. */
  wake(): void {
    for (const wake of [...this.swapWaiters]) wake();
  }

  private untilSwapOr(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.swapWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.swapWaiters.add(wake);
    });
  }
}
