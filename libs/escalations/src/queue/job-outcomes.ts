import type { EscalationJobStore, ClaimedJob } from './escalation-job.store';
import type { JobHandler, RetryPolicy } from './escalation-queue.port';
import type { JobFailureListener } from './job-failure-listener';
import type { EscalationQueueLogger } from './queue-logger';
import { MAX_RETRY_DELAY_MS, errorText, failureOutcome } from './queue-rules';

/** What an attempt of the in-process queue leaves to record on its row. */
export type AttemptOutcome =
  | { readonly kind: 'completed'; readonly at: Date }
  | { readonly kind: 'retry'; readonly error: string; readonly runAt: Date; readonly at: Date }
  | { readonly kind: 'dead-letter'; readonly error: string; readonly at: Date; readonly attempts?: number };

/**
 * The outcome of a failed attempt. Never throws: a bookkeeping error here would leave the row
 * active with nobody to move it, so anything odd (no policy, an unusable date) becomes a retry
 * after the longest backoff.
 */
export function failedAttemptOutcome(policy: RetryPolicy | undefined, attempt: number, error: unknown, at: Date): AttemptOutcome {
  const text = errorText(error);
  let delayMs = MAX_RETRY_DELAY_MS;
  try {
    const outcome = failureOutcome(policy!, attempt, error);
    if (outcome.kind === 'dead-letter') return { kind: 'dead-letter', error: text, at };
    delayMs = outcome.delayMs;
  } catch {
    // No usable policy: the longest backoff below.
  }
  const runAt = new Date(at.getTime() + delayMs);
  return { kind: 'retry', error: text, runAt: Number.isNaN(runAt.getTime()) ? new Date(at.getTime() + MAX_RETRY_DELAY_MS) : runAt, at };
}

interface Unrecorded {
  readonly claimed: ClaimedJob;
  readonly outcome: AttemptOutcome;
}

/**
 * Runs attempts and writes their outcomes to the rows. A write that fails (the database away)
 * is kept and tried again at each flush, so the row does not stay active until a restart;
 * while it waits, nothing else touches the row: only this process, holding the lock, runs jobs.
 */
export class JobOutcomes {
  private readonly unrecorded = new Map<string, Unrecorded>();

  constructor(
    private readonly store: EscalationJobStore,
    private readonly logger: EscalationQueueLogger,
    private readonly failures: JobFailureListener,
  ) {}

  get pending(): number {
    return this.unrecorded.size;
  }

  /** Runs one attempt and records its outcome; never rejects. */
  async attempt(handler: JobHandler, claimed: ClaimedJob, policy: RetryPolicy | undefined): Promise<void> {
    const { job, attempt } = claimed;
    let outcome: AttemptOutcome;
    // Every claim counts against the attempts, those cut short by a crash of the process included:
    // a job that keeps killing its process is dead-lettered rather than run for ever.
    if (policy !== undefined && claimed.started > policy.attempts) {
      const error = `started ${claimed.started - 1} time(s), ${policy.attempts} allowed: its process stopped mid-job ${claimed.started - attempt} time(s)`;
      this.logger.warn(`escalation job ${job.queue}/${job.id} not run again: ${error}`, { queue: job.queue, id: job.id, attempt });
      return this.record(claimed, { kind: 'dead-letter', error, at: new Date(), attempts: claimed.started - 1 });
    }
    try {
      await handler({ job, attempt });
      outcome = { kind: 'completed', at: new Date() };
    } catch (error) {
      this.logger.warn(`escalation job ${job.queue}/${job.id} failed (attempt ${attempt}): ${errorText(error)}`, { queue: job.queue, id: job.id, attempt });
      this.failures.attemptFailed(job.queue);
      outcome = failedAttemptOutcome(policy, attempt, error, new Date());
    }
    await this.record(claimed, outcome);
  }

  /** Never throws. */
  async record(claimed: ClaimedJob, outcome: AttemptOutcome): Promise<void> {
    const key = keyOf(claimed);
    try {
      await this.write(claimed, outcome);
      this.unrecorded.delete(key);
    } catch (error) {
      this.unrecorded.set(key, { claimed, outcome });
      this.logger.error(`escalation job ${key}: could not record it as ${outcome.kind} (${errorText(error)}); trying again`, {
        queue: claimed.job.queue,
        id: claimed.job.id,
      });
    }
  }

  /** Tries the outcomes not yet written once more; never throws. */
  async flush(): Promise<void> {
    for (const [key, { claimed, outcome }] of [...this.unrecorded]) {
      try {
        await this.write(claimed, outcome);
        this.unrecorded.delete(key);
        this.logger.log(`escalation job ${key}: recorded as ${outcome.kind} at last`);
      } catch (error) {
        this.logger.warn(`escalation job ${key}: still cannot record it as ${outcome.kind}: ${errorText(error)}`);
        return;
      }
    }
  }

  /** The crash recovery put these rows back to waiting: they run again, their old outcome must not land. */
  forget(): void {
    this.unrecorded.clear();
  }

  private async write(claimed: ClaimedJob, outcome: AttemptOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'completed':
        return this.store.complete(claimed, outcome.at);
      case 'retry':
        return this.store.retry(claimed, outcome.error, outcome.runAt, outcome.at);
      case 'dead-letter':
        // Counted once stored: an outcome forgotten by the crash recovery runs again instead.
        await this.store.deadLetter(claimed, outcome.error, outcome.at, outcome.attempts);
        return this.failures.deadLettered(claimed.job.queue);
      default: {
        const unknown: never = outcome;
        throw new Error(`unknown job outcome ${JSON.stringify(unknown)}`);
      }
    }
  }
}

function keyOf({ job }: ClaimedJob): string {
  return `${job.queue}/${job.id}`;
}
