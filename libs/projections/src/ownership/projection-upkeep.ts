import type { SqlQueryable } from '@ahe/database';
import type { EngineContext } from '../engine/engine-options';
import { refreshToEnd } from '../projection.definition';
import { contextFor } from '../runner/batch-writer';
import { describeError, FencedOutError } from '../runner/runner-errors';
import type { SupervisedProjection } from './supervised-projection';

/**
 * The owner's periodic duties: a heartbeat (which also proves the lock's connection alive,
 * picks up rebuild requests a lost NOTIFY left behind, retries a swap, and samples the lag),
 * and the projection's refresh of time-based values on the serving generation.
 */
export class ProjectionUpkeep {
  private heartbeat?: NodeJS.Timeout;
  private refreshTimer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  private refreshing?: Promise<void>;
  /** A wake-up came while a refresh ran: the next one starts as soon as it ends. */
  private refreshAgain = false;
  private unsubscribe?: () => void;
  private stopped = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly supervisor: SupervisedProjection,
  ) {}

  start(): void {
    this.heartbeat = setInterval(() => this.tick(), Math.max(Math.floor(this.ctx.lockRetryMs / 2), 25));
    this.heartbeat.unref();
    this.unsubscribe = this.supervisor.definition.refresh?.wakeups?.(() => this.refreshSoon());
    this.scheduleRefresh();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.heartbeat);
    clearTimeout(this.refreshTimer);
    await Promise.all([this.beating, this.refreshing]);
  }

  /** After a clean stop, status answers "stopped" at once rather than once the heartbeat has aged. */
  async clearHeartbeat(): Promise<void> {
    await this.ctx.sql
      .query('UPDATE projection_generations SET heartbeat_at = NULL WHERE name = $1 AND owner_token = $2', [this.supervisor.name, this.supervisor.ownerToken])
      .catch(() => undefined);
  }

  /** One at a time: a slow database must not pile heartbeats up. */
  private tick(): void {
    if (this.stopped || this.beating) return;
    this.beating = this.beat()
      .catch((error) => this.ctx.logger.warn(`Projection ${this.supervisor.name}: heartbeat failed: ${describeError(error)}`, { projection: this.supervisor.name }))
      .finally(() => (this.beating = undefined));
  }

  private async beat(): Promise<void> {
    const { supervisor, ctx } = this;
    if (!(await supervisor.lease.verify())) return supervisor.abandon('the connection holding its lock is gone');
    const { rows } = await ctx.sql.query(
      `UPDATE projection_generations SET heartbeat_at = $3, owner = $4
       WHERE name = $1 AND owner_token = $2 AND status IN ('serving', 'stale', 'building') RETURNING generation`,
      [supervisor.name, supervisor.ownerToken, new Date(), ctx.owner],
    );
    if (rows.length === 0) return supervisor.abandon('another process has taken it over');
    await supervisor.checkRebuildRequests();
    await supervisor.swapIfCaughtUp();
    await this.sampleLag();
  }

  private async sampleLag(): Promise<void> {
    const { supervisor, ctx } = this;
    const checkpoint = supervisor.serving?.checkpoint ?? supervisor.frozenAt;
    if (!checkpoint) return;
    const pending = await supervisor.probe.pending(checkpoint);
    // Stopping: the projection has been reported released, and a lag set now would stay.
    if (this.stopped) return;
    const seconds = pending.oldestRecordedAt ? Math.max(0, (Date.now() - Date.parse(pending.oldestRecordedAt)) / 1000) : 0;
    ctx.metrics.lag({ name: supervisor.name, generation: supervisor.servingGeneration, events: pending.events, seconds });
    if (pending.events === 0 && supervisor.serving) {
      await ctx.sql.query(
        'UPDATE projection_generations SET last_error = NULL WHERE name = $1 AND generation = $2 AND owner_token = $3 AND last_error IS NOT NULL',
        [supervisor.name, supervisor.servingGeneration, supervisor.ownerToken],
      );
    }
  }

  /** A new generation serves: a refresh that wakes its owner (`wakeups`) runs at once for it. */
  swappedIn(): void {
    if (this.supervisor.definition.refresh?.wakeups) this.refreshSoon();
  }

  /** The refresh now instead of at its next interval (after the one under way, if one is). */
  private refreshSoon(): void {
    if (this.stopped || !this.supervisor.definition.refresh) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    clearTimeout(this.refreshTimer);
    this.scheduleRefresh(0);
  }

  private scheduleRefresh(delayMs?: number): void {
    const refresh = this.supervisor.definition.refresh;
    if (!refresh || this.stopped) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshing = this.refresh().finally(() => {
        this.refreshing = undefined;
        const again = this.refreshAgain;
        this.refreshAgain = false;
        this.scheduleRefresh(again ? 0 : undefined);
      });
    }, delayMs ?? refresh.intervalMs);
    this.refreshTimer.unref();
  }

  /**
   * On the serving generation only, never a frozen one, in turn with its batches: each step in a
   * transaction of its own, so batches go on between steps and the log's readers wait for one
   * step at most. Stopping ends the refresh after the step under way; the next starts afresh.
   */
  private async refresh(): Promise<void> {
    const { supervisor, ctx } = this;
    const runner = supervisor.serving;
    const refresh = supervisor.definition.refresh;
    if (!runner || !refresh || supervisor.frozenAt) return;
    try {
      const changed = await refreshToEnd((cursor) =>
        runner.exclusive(async () => {
          if (runner.stopped || this.stopped) return { changed: 0 };
          return ctx.sql.transaction(async (tx) => {
            await fenceServing(tx, supervisor.name, runner.generation, supervisor.ownerToken);
            return refresh.run(contextFor(tx, supervisor.definition, runner.generation, ctx.clock()), cursor);
          });
        }),
      );
      if (changed > 0) ctx.logger.log(`Projection ${supervisor.name}: refresh changed ${changed} row(s)`, { projection: supervisor.name });
    } catch (error) {
      if (error instanceof FencedOutError) {
        supervisor.fencedOut(runner, error.message);
        return;
      }
      ctx.logger.warn(`Projection ${supervisor.name}: refresh failed: ${describeError(error)}`, { projection: supervisor.name });
    }
  }
}

async function fenceServing(tx: SqlQueryable, name: string, generation: number, ownerToken: string): Promise<void> {
  const { rows } = await tx.query(
    `SELECT generation FROM projection_generations WHERE name = $1 AND generation = $2 AND owner_token = $3 AND status = 'serving' FOR UPDATE`,
    [name, generation, ownerToken],
  );
  if (rows.length === 0) throw new FencedOutError(name, generation);
}
