import { performance } from 'node:perf_hooks';
import { Queue, Worker, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { BullMqEscalationQueue, type QueuedJob } from '@ahe/escalations';
import { Countdown, dropQueuePrefix, freshQueuePrefix } from './bench-redis';
import { figureOf, type Figure } from './measure';

/**
 * Jobs per second through the escalation queue adapter (BullMqEscalationQueue: deterministic
 * ids, retries, retention, dead-letter wrapper) against bare BullMQ on the same Redis in the
 * same run: the ratio is what the adapter costs. A middle variant, bare BullMQ with the job
 * options the adapter sets, tells the cost of those options from the cost of the adapter code.
 * Each run: a worker with a no-op handler, one warm-up job (so connections are up), then M
 * jobs enqueued in batches of 500, timed until the last is handled.
 */
export interface QueueThroughputOptions {
  readonly redisUrl: string;
  readonly jobs: number;
  readonly runs: number;
  readonly concurrencies: readonly number[];
  readonly log: (line: string) => void;
}

export type Variant = 'bare' | 'bare-engine-options' | 'engine';
export const VARIANTS: readonly Variant[] = ['bare', 'bare-engine-options', 'engine'];

export interface QueueThroughput {
  readonly concurrency: number;
  readonly rates: Readonly<Record<Variant, Figure>>;
}

const BATCH = 500;
/** As the engine configures them by default (ESCALATION_RETRY_*, 7 days of completed ids). */
const RETRY = { attempts: 10, backoffMs: 1000 };
const RETAIN_COMPLETED_SECONDS = 7 * 24 * 3600;
const TIMEOUT_MS = 300_000;

export async function queueThroughputBench(options: QueueThroughputOptions): Promise<QueueThroughput[]> {
  const results: QueueThroughput[] = [];
  for (const concurrency of options.concurrencies) {
    const rates: Record<Variant, number[]> = { bare: [], 'bare-engine-options': [], engine: [] };
    // Variants take turns within each run, so a noisy moment on the shared machine hits all alike.
    for (let run = 0; run < options.runs; run++) {
      for (const variant of VARIANTS) {
        options.log(`queue throughput: ${variant}, concurrency ${concurrency}, run ${run + 1}/${options.runs}…`);
        const ms = await timedRun(variant, options.redisUrl, options.jobs, concurrency);
        rates[variant].push(options.jobs / (ms / 1000));
      }
    }
    results.push({ concurrency, rates: { bare: figureOf(rates.bare), 'bare-engine-options': figureOf(rates['bare-engine-options']), engine: figureOf(rates.engine) } });
  }
  return results;
}

/** What a variant needs: start a no-op worker, enqueue a batch, shut down. */
interface Harness {
  readonly handled: Countdown;
  enqueue(from: number, count: number): Promise<void>;
  close(): Promise<void>;
}

async function timedRun(variant: Variant, redisUrl: string, jobs: number, concurrency: number): Promise<number> {
  const prefix = freshQueuePrefix('queue');
  const harness = variant === 'engine' ? engineHarness(redisUrl, prefix, concurrency) : bareHarness(redisUrl, prefix, concurrency, variant === 'bare-engine-options');
  try {
    await harness.enqueue(-1, 1);
    await harness.handled.reach(1, 30_000);
    const started = performance.now();
    for (let from = 0; from < jobs; from += BATCH) await harness.enqueue(from, Math.min(BATCH, jobs - from));
    await harness.handled.reach(jobs + 1, TIMEOUT_MS);
    return performance.now() - started;
  } finally {
    await harness.close();
    await dropQueuePrefix(redisUrl, prefix);
  }
}

const jobId = (index: number) => `bench-${index}`;

function engineHarness(redisUrl: string, prefix: string, concurrency: number): Harness {
  const handled = new Countdown();
  // The enqueue deadline is generous: a loaded machine must slow the figure, not fail the run.
  const queue = new BullMqEscalationQueue({ redisUrl, prefix, retry: { escalations: RETRY, webhooks: RETRY }, enqueueTimeoutMs: 60_000, retainCompletedSeconds: RETAIN_COMPLETED_SECONDS });
  queue.process('escalations', async () => handled.tick(), { concurrency });
  return {
    handled,
    enqueue: (from, count) =>
      queue.enqueue(Array.from({ length: count }, (_, offset): QueuedJob => ({ id: jobId(from + offset), queue: 'escalations', name: 'open', data: { index: from + offset } }))),
    close: () => queue.close(),
  };
}

function bareHarness(redisUrl: string, prefix: string, concurrency: number, engineOptions: boolean): Harness {
  const handled = new Countdown();
  const producer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const consumer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bench', { connection: producer, prefix });
  const worker = new Worker('bench', async () => handled.tick(), { connection: consumer, prefix, concurrency });
  const optionsOf = (index: number): JobsOptions | undefined =>
    engineOptions
      ? { jobId: jobId(index), delay: 0, attempts: RETRY.attempts, backoff: { type: 'exponential', delay: RETRY.backoffMs }, removeOnComplete: { age: RETAIN_COMPLETED_SECONDS }, removeOnFail: false }
      : undefined;
  return {
    handled,
    enqueue: async (from, count) => {
      await queue.addBulk(Array.from({ length: count }, (_, offset) => ({ name: 'open', data: { index: from + offset }, opts: optionsOf(from + offset) })));
    },
    async close() {
      await worker.close();
      await queue.close();
      await Promise.all([producer.quit(), consumer.quit()]);
    },
  };
}
