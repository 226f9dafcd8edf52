import type { AsyncLocalStorage } from 'node:async_hooks';
import type { EscalationQueueName } from '../escalation-jobs';
import type { JobHandler, RetryPolicy } from './escalation-queue.port';
import type { ClaimedJob, EscalationJobStore } from './escalation-job.store';
import type { JobOutcomes } from './job-outcomes';
import type { EscalationQueueLogger } from './queue-logger';
import type { QueueOwnership } from './queue-ownership';
import { errorText } from './queue-rules';

export interface InProcessJobLoopOptions {
  readonly retry: Readonly<Record<EscalationQueueName, RetryPolicy>>;
  /** Completed jobs are kept this long, so a re-delivered event's job is still ignored. */
  readonly retainCompletedSeconds: number;
  /** Longest sleep between looks at the table (jobs another process enqueued); default 1000. */
  readonly pollIntervalMs?: number;
}

interface Worker {
  readonly handler: JobHandler;
  readonly concurrency: number;
  active: number;
}

const DEFAULT_POLL_INTERVAL_MS = 1_000;
const PURGE_EVERY_MS = 60_000;

/**
 * The in-process queue's loop, in the process that holds the queue's lock: it claims due jobs,
 * wakes at the next run_at (or when woken: an enqueue, a job finishing, the lock changing hands),
 * and runs up to `concurrency` jobs per queue.
 */
export class InProcessJobLoop {
  private readonly workers = new Map<EscalationQueueName, Worker>();
  private readonly running = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private pumping?: Promise<void>;
  private pumpAgain = false;
  private lastPurge = 0;
  private stopped = false;

  constructor(
    private readonly store: EscalationJobStore,
    private readonly outcomes: JobOutcomes,
    private readonly ownership: QueueOwnership,
    private readonly logger: EscalationQueueLogger,
    /** The context the loop and the handlers run in (InProcessEscalationQueue's `detached`). */
    private readonly detached: ReturnType<typeof AsyncLocalStorage.snapshot>,
    private readonly options: InProcessJobLoopOptions,
  ) {}

  hasWorker(queue: EscalationQueueName): boolean {
    return this.workers.has(queue);
  }

  addWorker(queue: EscalationQueueName, handler: JobHandler, concurrency: number): void {
    this.workers.set(queue, { handler, concurrency: Math.max(1, concurrency), active: 0 });
  }

  /** No pass starts from now on; those in progress and their jobs are waited for with settled(). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The pass in progress, and the jobs it and earlier passes started, are done. */
  async settled(): Promise<void> {
    await this.pumping;
    while (this.running.size > 0) await Promise.all(this.running);
  }

  /** Runs one pass now, or right after the one in progress. */
  wake(): void {
    if (this.stopped || this.workers.size === 0 || !this.ownership.held) return;
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
      if (this.outcomes.pending > 0) await this.outcomes.flush();
      await this.purgeCompleted();
      for (const [queue, worker] of this.workers) {
        const free = worker.concurrency - worker.active;
        // The lock may have been lost meanwhile: its next holder is about to requeue active rows.
        if (free <= 0 || this.stopped || !this.ownership.held) continue;
        for (const claimed of await this.store.claim(queue, free, new Date())) this.start(worker, claimed);
      }
      // A queue running at its concurrency is woken by its jobs finishing, not by the clock.
      const open = [...this.workers].filter(([, worker]) => worker.active < worker.concurrency).map(([queue]) => queue);
      const next = await this.store.nextRunAt(open);
      if (next !== undefined) sleepMs = Math.min(sleepMs, Math.max(0, next - Date.now()));
    } catch (error) {
      this.logger.error(`escalation queue loop: ${errorText(error)}`);
    }
    if (this.stopped || !this.ownership.held) return;
    this.timer = setTimeout(() => this.wake(), sleepMs);
    this.timer.unref();
  }

  private start(worker: Worker, claimed: ClaimedJob): void {
    worker.active++;
    // Never rejects: an outcome that cannot be written now is written at a later pass.
    const run = this.outcomes.attempt(worker.handler, claimed, this.options.retry[claimed.job.queue]).finally(() => {
      worker.active--;
      this.running.delete(run);
      this.wake();
    });
    this.running.add(run);
  }

  private async purgeCompleted(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await this.store.purgeCompleted(new Date(Date.now() - this.options.retainCompletedSeconds * 1000));
  }
}
