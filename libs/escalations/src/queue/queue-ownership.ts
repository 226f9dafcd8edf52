import { createHash } from 'node:crypto';
import type { AdvisoryLease, SqlClient } from '@ahe/database';
import type { EscalationQueueLogger } from './queue-logger';
import { errorText } from './queue-rules';

export const DEFAULT_LOCK_RETRY_MS = 5_000;

/**
 * The advisory lock of the in-process queue. Advisory locks are per database, so the schema is
 * part of the key: queues on two schemas of one database (tests, tenants) must not block each other.
 */
export function escalationQueueLockKey(schema: string): bigint {
  return createHash('sha256').update(`ahe.escalation-queue:${schema}`).digest().readBigInt64BE(0);
}

export interface OwnershipHooks {
  /** Runs with the lock taken, before any job is claimed: the crash recovery. Throwing gives the lock back. */
  recover(): Promise<void>;
  /** The lock was taken (after recover) or lost. */
  changed(): void;
}

/**
 * Which process works the in-process queue of a database. Its crash recovery puts every active
 * row back to waiting, which is only right when no live process is running those rows: so only
 * the holder of a session advisory lock runs jobs. The others retry every `retryMs`, and one of
 * them takes over (recovering what the holder left active) once the holder's session is gone.
 * The holder checks its lock's connection on the same beat, so a silently dead one is noticed.
 */
export class QueueOwnership {
  private lease?: AdvisoryLease;
  private schema?: Promise<string>;
  private timer?: NodeJS.Timeout;
  private step?: Promise<void>;
  private stopped = false;
  private waitLogged = false;

  constructor(
    private readonly sql: SqlClient,
    private readonly retryMs: number,
    private readonly logger: EscalationQueueLogger,
    private readonly hooks: OwnershipHooks,
  ) {}

  get held(): boolean {
    return this.lease?.held === true;
  }

  /** Starts trying for the lock (idempotent). */
  start(): void {
    if (this.stopped || this.step || this.timer) return;
    this.beat();
  }

  /** No new attempt from now on; the lock, if held, is kept until release(). */
  stopTrying(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Waits for an attempt under way, then gives the lock back. */
  async release(): Promise<void> {
    this.stopTrying();
    await this.step;
    const lease = this.lease;
    this.lease = undefined;
    await lease?.release();
  }

  private beat(): void {
    this.timer = undefined;
    this.step = this.tryOnce().finally(() => {
      this.step = undefined;
      if (this.stopped) return;
      this.timer = setTimeout(() => this.beat(), this.retryMs);
      this.timer.unref();
    });
  }

  private async tryOnce(): Promise<void> {
    try {
      if (this.lease) {
        // Held: a round trip proves it still is; a failed one marks the lease lost (see watch()).
        await this.lease.verify();
        return;
      }
      const schema = await this.schemaName();
      const lease = await this.sql.tryAdvisoryLock(escalationQueueLockKey(schema));
      if (!lease) {
        if (!this.waitLogged) {
          this.waitLogged = true;
          this.logger.log(`Another process works the escalation queues of schema ${schema}: this one runs no jobs, and takes over if that one stops`);
        }
        return;
      }
      try {
        if (this.stopped) throw new Error('the queue is closing');
        await this.hooks.recover();
        if (this.stopped) throw new Error('the queue is closing');
      } catch (error) {
        await lease.release();
        throw error;
      }
      this.lease = lease;
      this.waitLogged = false;
      this.watch(lease);
      this.hooks.changed();
    } catch (error) {
      if (!this.stopped) this.logger.error(`escalation queue lock: ${errorText(error)}`);
    }
  }

  private watch(lease: AdvisoryLease): void {
    void lease.lost.then(() => {
      if (this.lease !== lease) return;
      this.lease = undefined;
      if (this.stopped) return;
      this.logger.warn(`escalation queue lock lost (its connection is gone): no new jobs start here; trying again every ${this.retryMs} ms`);
      this.hooks.changed();
    });
  }

  private schemaName(): Promise<string> {
    this.schema ??= this.sql.query<{ schema: string }>('SELECT current_schema() AS schema').then((result) => result.rows[0]!.schema);
    this.schema.catch(() => (this.schema = undefined));
    return this.schema;
  }
}
