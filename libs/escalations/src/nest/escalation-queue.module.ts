import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { SqlClient } from '@ahe/database';
import { APP_CONFIG, MetricsService, ReadinessRegistry, SQL_CLIENT, type AppConfig } from '@ahe/platform';
import { BullMqEscalationQueue, InProcessEscalationQueue, type EscalationQueue, type EscalationQueueLogger, type QueueDepth, type RetryPolicy } from '../queue';
import { loadEscalationRules } from '../workflow';
import { escalationFailureMetrics } from './escalation-failure-metrics';

/** Injection token of the process's escalation queue: `@Inject(ESCALATION_QUEUE) queue: EscalationQueue`. */
export const ESCALATION_QUEUE = Symbol('ESCALATION_QUEUE');

/**
 * Completed job ids are kept at least this long, and a day longer than the rules' freshness
 * window: a replay of the log plans again what lies within that window (deliveries above all),
 * and the queue must still recognise those ids as done.
 */
const MIN_RETAIN_COMPLETED_SECONDS = 7 * 24 * 3600;

function retainCompletedSeconds(config: AppConfig): number {
  const { maxAgeDays } = loadEscalationRules(config.escalations.rulesFile);
  return Math.max(MIN_RETAIN_COMPLETED_SECONDS, (maxAgeDays + 1) * 24 * 3600);
}
/** The process manager's batch waits at most this long for Redis before it rolls back and retries. */
const ENQUEUE_TIMEOUT_MS = 2_000;
/** How often the in-process queue looks for jobs committed by another transaction. */
const IN_PROCESS_POLL_MS = 100;

/**
 * A scrape answers within this even when the queue's store does not (Redis away, or the
 * embedded database's one connection held by an import for half a minute): a scrape that waited
 * would time out whole, HTTP and process metrics included, when they matter most.
 */
const METRICS_DEPTHS_TIMEOUT_MS = 2_000;

const logger = new Logger('Escalations');

/**
 * The queue depths for a scrape, or none when they take longer than METRICS_DEPTHS_TIMEOUT_MS.
 * A count still running is shared by the scrapes that come meanwhile rather than queued again
 * behind what holds it up.
 */
function latestDepths(queue: EscalationQueue): () => Promise<readonly QueueDepth[]> {
  let running: Promise<readonly QueueDepth[]> | undefined;
  return async () => {
    const counting = (running ??= queue.depths().catch(() => []).finally(() => (running = undefined)));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<readonly QueueDepth[]>((resolve) => (timer = setTimeout(() => resolve([]), METRICS_DEPTHS_TIMEOUT_MS)));
    try {
      return await Promise.race([counting, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** What the adapters cannot throw (worker errors, a lost lock, another process owning the queue) reaches the JSON logs. */
const queueLogger: EscalationQueueLogger = {
  log: (message, context) => logger.log(context ? { msg: message, ...context } : message),
  warn: (message, context) => logger.warn(context ? { msg: message, ...context } : message),
  error: (message, context) => logger.error(context ? { msg: message, ...context } : message),
};

function retryPolicies(config: AppConfig): Record<'escalations' | 'webhooks', RetryPolicy> {
  const policy = { attempts: config.escalations.retry.attempts, backoffMs: config.escalations.retry.backoffMs };
  return { escalations: policy, webhooks: policy };
}

/**
 * The queue the escalation workflow runs on: BullMQ on REDIS_URL, else the in-process adapter
 * in the process's database. Global, so the API (dashboard, queue routes) and the workers share
 * one. Redis joins /health/ready, queue depths join /metrics, and the queue closes after the
 * HTTP server and the workers have stopped, before the database.
 */
@Global()
@Module({
  providers: [
    {
      provide: ESCALATION_QUEUE,
      inject: [APP_CONFIG, SQL_CLIENT, MetricsService],
      useFactory: async (config: AppConfig, sql: SqlClient, metrics: MetricsService): Promise<EscalationQueue> => {
        const failures = escalationFailureMetrics(metrics);
        if (config.redisUrl) {
          logger.log(`Escalation queues on Redis (BullMQ, prefix ${config.escalations.queuePrefix})`);
          return new BullMqEscalationQueue({
            redisUrl: config.redisUrl,
            prefix: config.escalations.queuePrefix,
            retry: retryPolicies(config),
            enqueueTimeoutMs: ENQUEUE_TIMEOUT_MS,
            retainCompletedSeconds: retainCompletedSeconds(config),
            logger: queueLogger,
            failures,
          });
        }
        logger.log('Escalation queues in process (no REDIS_URL), kept in the database');
        return InProcessEscalationQueue.create({
          sql,
          retry: retryPolicies(config),
          retainCompletedSeconds: retainCompletedSeconds(config),
          // Jobs enqueued inside the process manager's transaction are seen at the next look.
          pollIntervalMs: IN_PROCESS_POLL_MS,
          logger: queueLogger,
          failures,
        });
      },
    },
  ],
  exports: [ESCALATION_QUEUE],
})
export class EscalationQueueModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(ESCALATION_QUEUE) private readonly queue: EscalationQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    if (this.config.redisUrl) this.readiness.register('redis', () => this.queue.ping());
    const depthsForScrape = latestDepths(this.queue);
    this.metrics.gauge({
      name: 'ahe_escalation_queue_jobs',
      help: 'Jobs in each escalation queue by state (dead-letter: jobs whose retries ran out)',
      labelNames: ['queue', 'state'],
      async collect() {
        const depths = await depthsForScrape();
        this.reset();
        for (const depth of depths) {
          for (const state of ['waiting', 'delayed', 'active', 'completed', 'failed'] as const) this.set({ queue: depth.queue, state }, depth[state]);
        }
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    logger.log('Escalation queues closed');
  }
}
