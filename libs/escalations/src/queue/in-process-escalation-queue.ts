import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlClient } from '@ahe/database';
import { ESCALATION_QUEUES, type EscalationQueueName } from '../escalation-jobs';
import type { DeadLetter, EnqueueContext, EscalationQueue, JobHandler, QueueDepth, QueuedJob, RetryPolicy } from './escalation-queue.port';
import { EscalationJobStore, migrateEscalationJobs, type ClaimedJob } from './escalation-job.store';
import { QUIET_QUEUE_LOGGER, type EscalationQueueLogger } from './queue-logger';
import { checkJobIds, errorText, failureOutcome } from './queue-rules';

export interface InProcessEscalationQueueOptions {
  /** PGlite in the embedded default; PostgreSQL works too. Owned by the caller: close() leaves it open. */
  readonly sql: SqlClient;
  readonly retry: Readonly<Record<EscalationQueueName, RetryPolicy>>;
  /** Completed jobs are kept this long, so a re-delivered event's job is still ignored. */
  readonly retainCompletedSeconds: number;
  /** Longest sleep between looks at the table (jobs another process enqueued); default 1000. */
  readonly pollIntervalMs?: number;
  readonly logger?: EscalationQueueLogger;
}

interface Worker {
  readonly handler: JobHandler;
  readonly concurrency: number;
  active: number;
}

const DEFAULT_POLL_INTERVAL_MS = 1_000;
const PURGE_EVERY_MS = 60_000;

/**
 * The escalation queues without Redis: jobs are rows in the embedded database, so timers and
 * retries survive a restart. One loop claims due jobs, wakes at the next run_at (or at once on
 * enqueue and when a job finishes), and runs up to `concurrency` per queue.
 */
export class InProcessEscalationQueue implements EscalationQueue {
  private readonly store: EscalationJobStore;
  private readonly logger: EscalationQueueLogger;
  private readonly workers = new Map<EscalationQueueName, Worker>();
  private readonly running = new Set<Promise<void>>();
  private initialized?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private pumping?: Promise<void>;
  private pumpAgain = false;
  private lastPurge = 0;
  private closing?: Promise<void>;
  /**
   * The loop and the handlers run in the context the queue was made in, not in that of whoever
   * woke it: a wake from inside a PGlite transaction would otherwise make every query of the
   * loop look nested in that transaction (and be refused).
   */
  private readonly detached = AsyncLocalStorage.snapshot();

  constructor(private readonly options: InProcessEscalationQueueOptions) {
    this.store = new EscalationJobStore(options.sql);
    this.logger = options.logger ?? QUIET_QUEUE_LOGGER;
  }

  static async create(options: InProcessEscalationQueueOptions): Promise<InProcessEscalationQueue> {
    const queue = new InProcessEscalationQueue(options);
    await queue.init();
    return queue;
  }

  /** Creates the tables; call once, before enqueuing within a transaction. */
  init(): Promise<void> {
    this.initialized ??= migrateEscalationJobs(this.options.sql);
    return this.initialized;
  }

  /**
   * Puts back the jobs a crash left active, once, when this process starts working the queue:
   * a process that only enqueues or reads depths (the API in server mode) must not take back
   * the jobs a running worker process holds.
   */
  private recovered?: Promise<void>;
  private recoverOnce(): Promise<void> {
    this.recovered ??= (async () => {
      await this.init();
      const requeued = await this.store.requeueActive(new Date());
      if (requeued > 0) this.logger.warn(`${requeued} escalation job(s) left running by an earlier process will run again`);
    })();
    return this.recovered;
  }

  /**
   * Within the caller's transaction only its `tx` may be used (PGlite has one connection, held
   * by it), so the tables must exist already: create() or init() made them. Until that
   * transaction commits, PostgreSQL's loop does not see the jobs: they start at its next look.
   */
  async enqueue(jobs: readonly QueuedJob[], within?: EnqueueContext): Promise<void> {
    if (jobs.length === 0) return;
    checkJobIds(jobs);
    if (!within) await this.init();
    await this.store.insert(jobs, new Date(), within?.tx);
    this.wake();
  }

  async cancel(queue: EscalationQueueName, id: string, within?: EnqueueContext): Promise<void> {
    if (!within) await this.init();
    await this.store.cancel(queue, id, within?.tx);
  }

  process(queue: EscalationQueueName, handler: JobHandler, options: { readonly concurrency: number }): void {
    if (this.closing) throw new Error('the escalation queue is closed');
    if (this.workers.has(queue)) throw new Error(`the ${queue} queue already has a handler`);
    this.workers.set(queue, { handler, concurrency: Math.max(1, options.concurrency), active: 0 });
    void this.recoverOnce().then(
      () => this.wake(),
      (error: unknown) => this.logger.error(`escalation queue tables: ${errorText(error)}`),
    );
  }

  async depths(): Promise<readonly QueueDepth[]> {
    await this.init();
    return this.store.depths(ESCALATION_QUEUES, new Date());
  }

  async deadLetters(limit: number): Promise<readonly DeadLetter[]> {
    if (limit <= 0) return [];
    await this.init();
    return this.store.deadLetters(limit);
  }

  async ping(): Promise<void> {
    await this.options.sql.query('SELECT 1');
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.timer);
    // A pass in progress may still start the jobs it claimed; they are waited for below.
    await this.pumping;
    while (this.running.size > 0) await Promise.all(this.running);
  }

  /** Runs one pass now, or right after the one in progress. */
  private wake(): void {
    if (this.closing || this.workers.size === 0 || !this.recovered) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.pumping = this.detached(() => this.pump()).finally(() => {
      this.pumping = undefined;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    let sleepMs = this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    try {
      await this.initialized;
      // Never claim before the crash recovery has run, or it would take back what we claim.
      await this.recovered;
      await this.purgeCompleted();
      for (const [queue, worker] of this.workers) {
        const free = worker.concurrency - worker.active;
        if (free <= 0 || this.closing) continue;
        for (const claimed of await this.store.claim(queue, free, new Date())) this.start(worker, claimed);
      }
      // A queue running at its concurrency is woken by its jobs finishing, not by the clock.
      const open = [...this.workers].filter(([, worker]) => worker.active < worker.concurrency).map(([queue]) => queue);
      const next = await this.store.nextRunAt(open);
      if (next !== undefined) sleepMs = Math.min(sleepMs, Math.max(0, next - Date.now()));
    } catch (error) {
      this.logger.error(`escalation queue loop: ${errorText(error)}`);
    }
    if (this.closing) return;
    this.timer = setTimeout(() => this.wake(), sleepMs);
    this.timer.unref();
  }

  private start(worker: Worker, claimed: ClaimedJob): void {
    worker.active++;
    const run = this.attempt(worker.handler, claimed)
      .catch((error: unknown) => this.logger.error(`escalation job ${claimed.job.queue}/${claimed.job.id}: ${errorText(error)}`))
      .finally(() => {
        worker.active--;
        this.running.delete(run);
        this.wake();
      });
    this.running.add(run);
  }

  /** A failure to record the outcome leaves the row active: it runs again after a restart. */
  private async attempt(handler: JobHandler, claimed: ClaimedJob): Promise<void> {
    const { job, attempt } = claimed;
    try {
      await handler({ job, attempt });
    } catch (error) {
      const outcome = failureOutcome(this.options.retry[job.queue], attempt, error);
      const now = new Date();
      this.logger.warn(`escalation job ${job.queue}/${job.id} failed (attempt ${attempt}): ${errorText(error)}`, { queue: job.queue, id: job.id, attempt });
      if (outcome.kind === 'retry') await this.store.retry(claimed, errorText(error), new Date(now.getTime() + outcome.delayMs), now);
      else await this.store.deadLetter(claimed, errorText(error), now);
      return;
    }
    await this.store.complete(claimed, new Date());
  }

  private async purgeCompleted(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await this.store.purgeCompleted(new Date(Date.now() - this.options.retainCompletedSeconds * 1000));
  }
}
