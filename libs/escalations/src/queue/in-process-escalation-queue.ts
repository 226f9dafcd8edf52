import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlClient } from '@ahe/database';
import { ESCALATION_QUEUES, type EscalationQueueName } from '../escalation-jobs';
import type { DeadLetter, EnqueueContext, EscalationQueue, JobHandler, QueueDepth, QueuedJob } from './escalation-queue.port';
import { EscalationJobStore, migrateEscalationJobs } from './escalation-job.store';
import { InProcessJobLoop, type InProcessJobLoopOptions } from './in-process-job-loop';
import { NO_FAILURE_LISTENER, type JobFailureListener } from './job-failure-listener';
import { JobOutcomes } from './job-outcomes';
import { QUIET_QUEUE_LOGGER, type EscalationQueueLogger } from './queue-logger';
import { DEFAULT_LOCK_RETRY_MS, QueueOwnership } from './queue-ownership';
import { checkJobIds } from './queue-rules';

export interface InProcessEscalationQueueOptions extends InProcessJobLoopOptions {
  /** PGlite in the embedded default; PostgreSQL works too. Owned by the caller: close() leaves it open. */
  readonly sql: SqlClient;
  /**
   * Only one process at a time runs the jobs of a database (schema); the others, and a process
   * whose lock was lost, try to take over this often. Default 5000.
   */
  readonly lockRetryMs?: number;
  readonly logger?: EscalationQueueLogger;
  readonly failures?: JobFailureListener;
}

/**
 * The escalation queues without Redis: jobs are rows in the embedded database, so timers and
 * retries survive a restart. One loop claims due jobs, wakes at the next run_at (or at once on
 * enqueue and when a job finishes), and runs up to `concurrency` per queue. Workers run in one
 * process per database only (see QueueOwnership); any process may enqueue, cancel and read depths.
 */
export class InProcessEscalationQueue implements EscalationQueue {
  private readonly store: EscalationJobStore;
  private readonly outcomes: JobOutcomes;
  private readonly ownership: QueueOwnership;
  private readonly logger: EscalationQueueLogger;
  private readonly loop: InProcessJobLoop;
  private initialized?: Promise<void>;
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
    this.outcomes = new JobOutcomes(this.store, this.logger, options.failures ?? NO_FAILURE_LISTENER);
    this.ownership = new QueueOwnership(options.sql, options.lockRetryMs ?? DEFAULT_LOCK_RETRY_MS, this.logger, {
      recover: () => this.detached(() => this.recover()),
      changed: () => this.loop.wake(),
    });
    this.loop = new InProcessJobLoop(this.store, this.outcomes, this.ownership, this.logger, this.detached, options);
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
   * Puts back the jobs a crash left active, each time this process takes the queue's lock: no
   * live process runs jobs without it, so an active row is one its holder left behind. Our own
   * jobs from before a lost lock are let finish first (and recorded) rather than run twice.
   */
  private async recover(): Promise<void> {
    await this.init();
    await this.loop.settled();
    await this.outcomes.flush();
    const requeued = await this.store.requeueActive(new Date());
    this.outcomes.forget();
    if (requeued > 0) this.logger.warn(`${requeued} escalation job(s) left running by an earlier process will run again`);
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
    this.loop.wake();
  }

  async cancel(queue: EscalationQueueName, id: string, within?: EnqueueContext): Promise<void> {
    if (!within) await this.init();
    await this.store.cancel(queue, id, within?.tx);
  }

  process(queue: EscalationQueueName, handler: JobHandler, options: { readonly concurrency: number }): void {
    if (this.closing) throw new Error('the escalation queue is closed');
    if (this.loop.hasWorker(queue)) throw new Error(`the ${queue} queue already has a handler`);
    this.loop.addWorker(queue, handler, options.concurrency);
    // Started (or woken) out of the caller's context, as the loop is.
    if (this.ownership.held) this.loop.wake();
    else this.detached(() => this.ownership.start());
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

  async retryDeadLetter(queue: EscalationQueueName, id: string): Promise<boolean> {
    await this.init();
    const retried = await this.store.retryDeadLetter(queue, id, new Date());
    if (retried) this.loop.wake();
    return retried;
  }

  async ping(): Promise<void> {
    await this.options.sql.query('SELECT 1');
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.ownership.stopTrying();
    this.loop.stop();
    // A pass in progress may still start the jobs it claimed; settled() waits for those too.
    await this.loop.settled();
    await this.outcomes.flush();
    // Given back only now: the next holder requeues what is still active, so nothing of ours may be.
    await this.ownership.release();
  }
}
