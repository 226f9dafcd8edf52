import { hostname } from 'node:os';
import { compareCheckpoints, START, type Checkpoint } from '@ahe/event-store';
import { ProjectionLeases } from '../ownership/projection-leases';
import type { ProjectionDefinition } from '../projection.definition';
import { onRebuildRequested } from '../rebuild/rebuild-requests';
import { ensureProjectionSchema } from '../schema/projection-schema';
import { assertValidDefinitions } from '../schema/projection-names';
import { logProbe, type LogProbe } from '../status/log-probe';
import { describeError } from '../runner/runner-errors';
import { engineContext, type EngineContext, type ProjectionEngineOptions } from './engine-options';
import { EngineRebuilds, type RebuildOptions } from './engine-rebuilds';

export interface OwnedProjectionLag {
  readonly name: string;
  readonly generation: number;
  readonly events: number;
  readonly seconds: number;
  /** Its serving generation is frozen while a new version is built: old data, by design. */
  readonly frozen: boolean;
}

/**
 * Runs projections: each one in exactly one process at a time, the one holding its advisory
 * lock; the others try again every `lockRetryMs` and take over from the stored checkpoints
 * when the holder dies. See ProjectionSupervisor for what owning one involves.
 */
export class ProjectionEngine {
  private readonly ctx: EngineContext;
  private readonly definitions: ReadonlyMap<string, ProjectionDefinition>;
  private readonly probe: LogProbe;
  private readonly leases: ProjectionLeases;
  private readonly rebuilds: EngineRebuilds;
  private schema?: Promise<string>;
  private started = false;
  private retryTimer?: NodeJS.Timeout;
  private unlisten?: () => Promise<void>;
  /** The start under way: waitUntilCaughtUp waits for it, or it would find nothing owned yet and return at once. */
  private starting?: Promise<void>;

  constructor(options: ProjectionEngineOptions) {
    assertValidDefinitions(options.definitions);
    this.ctx = engineContext(options, `${hostname()}:${process.pid}`);
    this.definitions = new Map(options.definitions.map((definition) => [definition.name, definition]));
    this.probe = logProbe(options.store, options.sql);
    this.leases = new ProjectionLeases(this.ctx, () => this.prepare(), this.probe, () => this.rebuilds.wake());
    this.rebuilds = new EngineRebuilds(this.ctx, this.definitions, this.leases, this.probe, { isStarted: () => this.started, prepare: () => this.prepare() });
  }

  /** Creates the bookkeeping tables, takes every projection it can, and keeps trying for the rest. */
  start(): Promise<void> {
    if (this.started) return this.starting ?? Promise.resolve();
    this.started = true;
    this.starting = this.startOnce();
    return this.starting;
  }

  private async startOnce(): Promise<void> {
    try {
      await this.prepare();
      this.unlisten = await onRebuildRequested(this.ctx.sql, (name) => {
        const supervisor = this.leases.get(name);
        if (!supervisor) return;
        void this.rebuilds.take(() => supervisor.checkRebuildRequests()).catch((error) => this.ctx.logger.warn(`Projection ${name}: rebuild request not taken: ${describeError(error)}`));
      });
      // Every projection taken now at one checkpoint reads it in one cohort (SharedLog.hold).
      const release = this.ctx.log.hold();
      try {
        await Promise.all([...this.definitions.values()].map((definition) => this.leases.take(definition)));
      } finally {
        release();
      }
      this.retryTimer = setInterval(() => {
        for (const definition of this.definitions.values()) if (!this.leases.get(definition.name)) void this.leases.take(definition);
      }, this.ctx.lockRetryMs);
      this.retryTimer.unref();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Lets the batches under way commit, then stops every runner and releases every lock. */
  async stop(): Promise<void> {
    this.started = false;
    this.leases.refusing = true;
    clearInterval(this.retryTimer);
    this.rebuilds.releaseHolds();
    try {
      await this.unlisten?.().catch(() => undefined);
      this.unlisten = undefined;
      await this.leases.releaseAll();
    } finally {
      this.leases.refusing = false;
      this.rebuilds.wake();
    }
  }

  /** Names of the projections this process runs now. */
  owned(): string[] {
    return this.leases.all().map((supervisor) => supervisor.name);
  }

  /**
   * Resolves once every projection this process owns has applied all events committed at the
   * time of the call (serving and building generations; a frozen one must have been swapped
   * out), rejects after `timeoutMs`. On PostgreSQL that includes events still hidden from log
   * readers behind another open transaction: tests can append, wait, and assert. A projection
   * this process dropped against its will (its runner failed, its lock was lost), before the
   * call or during it, is waited for until this process runs it again and it has caught up: a
   * runner that gave up has not applied the events.
   */
  async waitUntilCaughtUp(timeoutMs = 60_000): Promise<void> {
    const wait: { target?: Checkpoint | null; expired: boolean; names: string[] } = { expired: false, names: [] };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        wait.expired = true;
        const behind = wait.target === undefined ? [] : wait.names.filter((name) => !this.caughtUp(name, wait.target!));
        const names = behind.map((name) => (this.leases.get(name) ? name : `${name} (not run here now)`)).join(', ') || 'still reading the head of the log';
        reject(new Error(`projections still catching up after ${timeoutMs} ms: ${names}`));
      }, timeoutMs);
    });
    const waiting = this.waitFor(wait);
    waiting.catch(() => undefined);
    try {
      await Promise.race([waiting, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The head is read first; on the embedded database that waits for a batch in flight. */
  private async waitFor(wait: { target?: Checkpoint | null; expired: boolean; names: string[] }): Promise<void> {
    await this.starting?.catch(() => undefined);
    const owned = this.leases.all();
    wait.names = [...owned.map((supervisor) => supervisor.name), ...this.leases.beingRetaken()];
    if (wait.names.length === 0) return;
    const checkpoints = owned.flatMap((supervisor) => [supervisor.serving?.settled, supervisor.building?.settled]).filter((found): found is Checkpoint => !!found);
    const from = checkpoints.sort(compareCheckpoints)[0] ?? START;
    const wasStarted = this.started;
    const target = (wait.target = (await this.probe.head(from))?.checkpoint ?? null);
    while (!wait.expired && wait.names.some((name) => !this.caughtUp(name, target))) {
      if (wasStarted && !this.started) throw new Error('the projection engine stopped before its projections caught up');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private caughtUp(name: string, target: Checkpoint | null): boolean {
    return this.leases.get(name)?.caughtUp(target) ?? false;
  }

  /**
   * Rebuilds `name` blue/green and resolves once the new generation serves. Built here when
   * this process owns the projection or can take it (a process not started takes it for the
   * rebuild only); otherwise the owner builds it and this waits, reporting progress either way.
   * Rejects with RebuildHeldError when the new generation parked events the serving one did not.
   */
  rebuild(name: string, options: RebuildOptions = {}): Promise<void> {
    return this.rebuilds.run(name, options);
  }

  /** The lag of each projection owned here, for readiness and metrics. */
  async ownedLag(): Promise<OwnedProjectionLag[]> {
    return Promise.all(
      this.leases.all().map(async (supervisor) => {
        const pending = await this.probe.pending(supervisor.serving?.checkpoint ?? supervisor.frozenAt ?? START);
        const seconds = pending.oldestRecordedAt ? Math.max(0, (Date.now() - Date.parse(pending.oldestRecordedAt)) / 1000) : 0;
        return { name: supervisor.name, generation: supervisor.servingGeneration, events: pending.events, seconds, frozen: supervisor.frozenAt !== undefined };
      }),
    );
  }

  private prepare(): Promise<string> {
    this.schema ??= ensureProjectionSchema(this.ctx.sql)
      .then(() => this.ctx.sql.query<{ schema: string }>('SELECT current_schema() AS schema'))
      .then(({ rows }) => rows[0]!.schema);
    this.schema.catch(() => (this.schema = undefined));
    return this.schema;
  }
}
