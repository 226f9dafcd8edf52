import type { EngineContext } from '../engine/engine-options';
import type { ProjectionDefinition } from '../projection.definition';
import { describeError } from '../runner/runner-errors';
import { projectionLockKey } from '../schema/projection-names';
import type { LogProbe } from '../status/log-probe';
import { ProjectionSupervisor } from './projection-supervisor';

/**
 * The projections this process holds the advisory lock of, each with its supervisor. A
 * projection is dropped from here when its lock is lost or its supervisor gives up; taking it
 * again is the caller's business (the engine's retry timer).
 */
export class ProjectionLeases {
  private readonly supervisors = new Map<string, ProjectionSupervisor>();
  private readonly taking = new Map<string, Promise<ProjectionSupervisor | null>>();
  /** While true, a lock granted is given back at once: the engine is stopping. */
  refusing = false;
  /**
   * Projections this process gave up on (lock lost, fenced, runner failed) and is taking again:
   * not run here for the moment, yet nobody else runs them either, as far as this process knows.
   */
  private readonly retaking = new Set<string>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly schema: () => Promise<string>,
    private readonly probe: LogProbe,
    private readonly onSwapped: () => void,
  ) {}

  get(name: string): ProjectionSupervisor | undefined {
    return this.supervisors.get(name);
  }

  all(): ProjectionSupervisor[] {
    return [...this.supervisors.values()];
  }

  /** Names dropped here against this process's will, until it runs them again or finds another process does. */
  beingRetaken(): string[] {
    return [...this.retaking];
  }

  /** The supervisor of `definition` here: already running, being started, or started now if its lock is free. */
  take(definition: ProjectionDefinition): Promise<ProjectionSupervisor | null> {
    const owned = this.supervisors.get(definition.name);
    if (owned) return Promise.resolve(owned);
    let attempt = this.taking.get(definition.name);
    if (!attempt) {
      attempt = this.acquire(definition).finally(() => this.taking.delete(definition.name));
      this.taking.set(definition.name, attempt);
    }
    return attempt;
  }

  /** Lets attempts under way finish, then stops every supervisor (releasing its lock). */
  async releaseAll(): Promise<void> {
    await Promise.allSettled([...this.taking.values()]);
    await Promise.all(this.all().map((supervisor) => this.release(supervisor, null)));
    this.retaking.clear();
  }

  /** Stops running a projection here; `reason` null for a deliberate, quiet release. */
  async release(supervisor: ProjectionSupervisor, reason: string | null): Promise<void> {
    const name = supervisor.name;
    if (this.supervisors.get(name) !== supervisor) return;
    this.supervisors.delete(name);
    if (reason) this.retaking.add(name);
    else this.retaking.delete(name);
    if (reason) this.ctx.logger.warn(`Projection ${name}: no longer run here (${reason}); trying again every ${this.ctx.lockRetryMs} ms`, { projection: name });
    await supervisor.stop().catch((error) => this.ctx.logger.warn(`Projection ${name}: stop failed: ${describeError(error)}`, { projection: name }));
  }

  private async acquire(definition: ProjectionDefinition): Promise<ProjectionSupervisor | null> {
    const name = definition.name;
    let lease;
    try {
      lease = await this.ctx.sql.tryAdvisoryLock(projectionLockKey(await this.schema(), name));
    } catch (error) {
      this.ctx.logger.warn(`Projection ${name}: could not ask for its lock: ${describeError(error)}`, { projection: name });
      return null;
    }
    if (!lease) {
      // Another process holds it now: the projection is run, elsewhere.
      this.retaking.delete(name);
      return null;
    }
    if (this.refusing) {
      await lease.release();
      return null;
    }
    const supervisor: ProjectionSupervisor = new ProjectionSupervisor(this.ctx, definition, lease, this.probe, {
      abandon: (reason) => void this.release(supervisor, reason),
      swapped: () => this.onSwapped(),
    });
    try {
      await supervisor.start();
    } catch (error) {
      this.ctx.logger.error(`Projection ${name}: could not start: ${describeError(error)}`, { projection: name });
      await supervisor.stop().catch(() => undefined);
      return null;
    }
    this.supervisors.set(name, supervisor);
    this.retaking.delete(name);
    void lease.lost.then(() => this.release(supervisor, 'its lock was lost'));
    return supervisor;
  }
}
