import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { ESCALATION_QUEUES, type EscalationQueueName } from '../escalation-jobs';
import { DEAD_LETTER_QUEUE, deadLetterFailedJob, dropLetterOfCompletedJob, listDeadLetters, retryDeadLetter, type DeadLetterData } from './bullmq-dead-letters';
import { CAPPED_EXPONENTIAL_BACKOFF, escalationProcessor, escalationWorkerOptions, type StalledJobSettings } from './bullmq-job-processor';
import { bullQueueDepth } from './bullmq-queue-depth';
import type { DeadLetter, EscalationQueue, JobHandler, QueueDepth, QueuedJob, RetryPolicy } from './escalation-queue.port';
import { NO_FAILURE_LISTENER, type JobFailureListener } from './job-failure-listener';
import { checkJobIds, errorText } from './queue-rules';
import { QUIET_QUEUE_LOGGER, type EscalationQueueLogger } from './queue-logger';
import { withinDeadline } from './queue-unavailable.error';

export interface BullMqEscalationQueueOptions {
  readonly redisUrl: string;
  /** Namespaces every key, so several deployments (or test runs) can share one Redis. */
  readonly prefix: string;
  readonly retry: Readonly<Record<EscalationQueueName, RetryPolicy>>;
  /** Longest wait for Redis in enqueue, cancel, depths, deadLetters and ping. */
  readonly enqueueTimeoutMs: number;
  /** Completed jobs are kept this long, so a re-delivered event's job is still ignored. */
  readonly retainCompletedSeconds: number;
  readonly logger?: EscalationQueueLogger;
  readonly failures?: JobFailureListener;
  readonly stalledJobs?: StalledJobSettings;
}

/**
 * The escalation queues on BullMQ. Producer and workers have connections of their own: the
 * producer's fails fast (no offline queue, and a deadline on every call), so a caller holding
 * a checkpoint or a transaction is never stuck on Redis; the workers' wait for Redis to return.
 */
export class BullMqEscalationQueue implements EscalationQueue {
  private readonly producer: Redis;
  private readonly queues: ReadonlyMap<EscalationQueueName, Queue>;
  private readonly deadLetterQueue: Queue<DeadLetterData>;
  private readonly logger: EscalationQueueLogger;
  private workerSide?: { readonly connection: Redis; readonly deadLetters: Queue<DeadLetterData> };
  private readonly workers: Worker[] = [];
  /** Handlers running in this process, tracked here too: BullMQ can only wait for them while Redis is up. */
  private readonly handling = new Set<Promise<void>>();
  private closing?: Promise<void>;

  constructor(private readonly options: BullMqEscalationQueueOptions) {
    this.logger = options.logger ?? QUIET_QUEUE_LOGGER;
    this.producer = this.connect('producer', { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.queues = new Map(ESCALATION_QUEUES.map((name) => [name, this.queueOn(this.producer, name)]));
    this.deadLetterQueue = this.queueOn(this.producer, DEAD_LETTER_QUEUE);
  }

  /** Every queue, the dead-letter one included, for a dashboard such as Bull Board. */
  bullQueues(): readonly Queue[] {
    return [...this.queues.values(), this.deadLetterQueue];
  }

  async enqueue(jobs: readonly QueuedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    checkJobIds(jobs);
    const adds = ESCALATION_QUEUES.flatMap((name) => {
      const batch = jobs.filter((job) => job.queue === name);
      if (batch.length === 0) return [];
      return [this.queueNamed(name).addBulk(batch.map((job) => ({ name: job.name, data: job.data, opts: this.jobOptions(job) })))];
    });
    await this.withinDeadline(Promise.all(adds), `enqueue of ${jobs.length} job(s)`);
  }

  async cancel(queue: EscalationQueueName, id: string): Promise<void> {
    const target = this.queueNamed(queue);
    await this.withinDeadline(
      (async () => {
        // Only what has not started: removing a completed job would forget its id (and let a
        // re-delivered event run it again). A job taken by a worker meanwhile is locked, and
        // remove() then leaves it alone.
        const state = await target.getJobState(id);
        if (state === 'waiting' || state === 'delayed' || state === 'prioritized') await target.remove(id);
      })(),
      `cancel of ${queue}/${id}`,
    );
  }

  process(queue: EscalationQueueName, handler: JobHandler, options: { readonly concurrency: number }): void {
    if (this.closing) throw new Error('the escalation queue is closed');
    if (this.workers.some((worker) => worker.name === queue)) throw new Error(`the ${queue} queue already has a handler`);
    const side = this.workerConnection();
    const failures = this.options.failures ?? NO_FAILURE_LISTENER;
    const worker = new Worker(
      queue,
      escalationProcessor(queue, handler, { deadLetters: side.deadLetters, running: this.handling, failures }),
      escalationWorkerOptions(side.connection, this.options.prefix, options.concurrency, this.options.stalledJobs),
    );
    worker.on('error', (error) => this.logger.error(`escalation worker ${queue}: ${error.message}`, { queue }));
    worker.on('failed', (job, error) => {
      this.logger.warn(`escalation job ${queue}/${job?.id} failed: ${error.message}`, { queue, id: job?.id, attempts: job?.attemptsMade });
      if (job) this.track(deadLetterFailedJob(queue, job, error, side.deadLetters, failures), `dead letter of ${queue}/${job.id}`);
    });
    worker.on('completed', (job) => {
      const what = `dead letter of completed ${queue}/${job.id}`;
      // Bounded: close() waits for it, and the workers' connection waits for Redis however long it is away.
      this.track(this.withinDeadline(dropLetterOfCompletedJob(side.deadLetters, job), what), what);
    });
    this.workers.push(worker);
  }

  async depths(): Promise<readonly QueueDepth[]> {
    const named: [QueueDepth['queue'], Queue][] = [...this.queues.entries(), [DEAD_LETTER_QUEUE, this.deadLetterQueue]];
    return this.withinDeadline(Promise.all(named.map(([queue, target]) => bullQueueDepth(queue, target))), 'queue depths');
  }

  async deadLetters(limit: number): Promise<readonly DeadLetter[]> {
    if (limit <= 0) return [];
    return this.withinDeadline(listDeadLetters(this.deadLetterQueue, limit), 'dead letters');
  }

  async retryDeadLetter(queue: EscalationQueueName, id: string): Promise<boolean> {
    const target = this.queueNamed(queue);
    const addAgain = (name: string, data: unknown) => target.add(name, data, this.jobOptions({ id, queue, name, data }));
    return this.withinDeadline(retryDeadLetter({ deadLetters: this.deadLetterQueue, target, addAgain }, queue, id), 'retry of a dead letter');
  }

  async ping(): Promise<void> {
    await this.withinDeadline(this.producer.ping(), 'ping');
  }

  private jobOptions(job: QueuedJob) {
    const { attempts, backoffMs } = this.options.retry[job.queue];
    return {
      jobId: job.id,
      delay: job.runAtMs === undefined ? 0 : Math.max(0, job.runAtMs - Date.now()),
      attempts,
      backoff: { type: CAPPED_EXPONENTIAL_BACKOFF, delay: backoffMs },
      removeOnComplete: { age: this.options.retainCompletedSeconds },
      removeOnFail: false,
    };
  }

  /** Background work of the workers that close() waits for; it logs rather than throws. */
  private track(work: Promise<void>, what: string): void {
    const tracked = work.catch((error: unknown) => this.logger.error(`${what}: ${errorText(error)}`)).finally(() => this.handling.delete(tracked));
    this.handling.add(tracked);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // Workers first: close() waits for their active jobs, which may still write dead letters.
    // BullMQ's graceful close also waits for a connection that may never come back, so with
    // Redis away the workers stop at once and only the handlers still running are waited for.
    const redisUp = this.workerSide?.connection.status === 'ready';
    await Promise.all(this.workers.map((worker) => worker.close(!redisUp)));
    await Promise.allSettled(this.handling);
    const queues = [...this.bullQueues(), ...(this.workerSide ? [this.workerSide.deadLetters] : [])];
    await Promise.all(queues.map((queue) => queue.close()));
    await Promise.all([this.producer, this.workerSide?.connection].map((connection) => connection && disconnect(connection)));
  }

  private workerConnection(): NonNullable<BullMqEscalationQueue['workerSide']> {
    if (!this.workerSide) {
      // Blocking commands must wait for Redis however long it is away: BullMQ requires null here.
      const connection = this.connect('workers', { maxRetriesPerRequest: null });
      this.workerSide = { connection, deadLetters: this.queueOn(connection, DEAD_LETTER_QUEUE) };
    }
    return this.workerSide;
  }

  private connect(role: string, options: { enableOfflineQueue?: boolean; maxRetriesPerRequest: number | null }): Redis {
    // A socket to a Redis that is away is destroyed after disconnectTimeout: shutdown need not wait 2 s for it.
    const connection = new Redis(this.options.redisUrl, { ...options, connectionName: `escalations-${role}`, disconnectTimeout: 500 });
    connection.on('error', (error) => this.logger.warn(`Redis (${role} connection): ${error.message}`));
    return connection;
  }

  private queueOn<T>(connection: Redis, name: string): Queue<T> {
    const queue = new Queue<T>(name, { connection, prefix: this.options.prefix });
    queue.on('error', (error) => this.logger.warn(`escalation queue ${name}: ${error.message}`));
    return queue;
  }

  private queueNamed(name: EscalationQueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`unknown escalation queue ${JSON.stringify(name)}`);
    return queue;
  }

  private withinDeadline<T>(work: Promise<T>, what: string): Promise<T> {
    return withinDeadline(work, this.options.enqueueTimeoutMs, what);
  }
}

async function disconnect(connection: Redis): Promise<void> {
  // QUIT waits for replies still due; a connection that is not up (Redis away) is simply dropped.
  if (connection.status !== 'ready') return connection.disconnect();
  await connection.quit().catch(() => connection.disconnect());
}
