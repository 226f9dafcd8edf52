import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@ahe/event-store';
import { APP_CONFIG, EVENT_STORE, MetricsService, type AppConfig } from '@ahe/platform';
import type { ProjectionDefinition } from '@ahe/projections';
import { loadScoringRules } from '@ahe/read-models';
import { escalationCommandHandler } from '../jobs/escalation-command.handler';
import { webhookDeliveryHandler } from '../jobs/webhook-delivery.handler';
import { escalationProcessManager } from '../process-manager/escalation-process-manager.projection';
import type { EscalationQueue } from '../queue';
import { loadEscalationRules, type EscalationRules } from '../workflow';
import { escalationMetrics, type EscalationMetrics } from './escalation-metrics';
import { ESCALATION_QUEUE, EscalationQueueModule } from './escalation-queue.module';

/** Injection token of the process manager's projection definition, for the process's projection engine. */
export const ESCALATION_PROCESS_MANAGER_DEFINITION = Symbol('ESCALATION_PROCESS_MANAGER_DEFINITION');
export const ESCALATION_RULES = Symbol('ESCALATION_RULES');
const ESCALATION_METRICS = Symbol('ESCALATION_METRICS');

const logger = new Logger('Escalations');

/** Starts the workers of both queues once the application has booted. */
@Injectable()
class EscalationWorkers implements OnApplicationBootstrap {
  constructor(
    @Inject(ESCALATION_QUEUE) private readonly queue: EscalationQueue,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ESCALATION_METRICS) private readonly metrics: EscalationMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const { concurrency, webhookUrls, webhookSecret, webhookTimeoutMs } = this.config.escalations;
    this.queue.process(
      'escalations',
      escalationCommandHandler({ store: this.store, now: () => new Date(), onOutcome: (job, outcome) => this.metrics.outcome(job, outcome) }),
      { concurrency },
    );
    if (webhookUrls.length > 0 && webhookSecret !== undefined) {
      this.queue.process(
        'webhooks',
        webhookDeliveryHandler({ secret: webhookSecret, timeoutMs: webhookTimeoutMs, onAttempt: (job, outcome, seconds) => this.metrics.delivery(job, outcome, seconds) }),
        { concurrency },
      );
    }
    logger.log(`Escalation workers started (concurrency ${concurrency}); webhooks: ${webhookUrls.length === 0 ? 'none configured' : webhookUrls.length}`);
  }
}

/**
 * The escalation workflow of a process: its rules, the process manager (a projection the
 * process's projection engine runs, through ESCALATION_PROCESS_MANAGER_DEFINITION) and the
 * workers of both queues. In apps/escalations in server mode; inside the api process on the
 * embedded store.
 */
@Module({})
export class EscalationWorkersModule {
  static forRoot(): DynamicModule {
    return {
      module: EscalationWorkersModule,
      global: true,
      imports: [EscalationQueueModule],
      providers: [
        {
          provide: ESCALATION_RULES,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig): EscalationRules => loadEscalationRules(config.escalations.rulesFile),
        },
        { provide: ESCALATION_METRICS, inject: [MetricsService], useFactory: escalationMetrics },
        {
          provide: ESCALATION_PROCESS_MANAGER_DEFINITION,
          inject: [APP_CONFIG, ESCALATION_QUEUE, ESCALATION_RULES, ESCALATION_METRICS],
          useFactory: (config: AppConfig, queue: EscalationQueue, rules: EscalationRules, metrics: EscalationMetrics): ProjectionDefinition =>
            escalationProcessManager({
              queue,
              workflow: { rules, scoring: loadScoringRules(config.projections.scoringRulesFile) },
              webhookUrls: config.escalations.webhookUrls,
              sweepIntervalMs: config.projections.healthRefreshIntervalMs,
              onEnqueued: (jobs) => metrics.enqueued(jobs),
            }),
        },
        EscalationWorkers,
      ],
      exports: [ESCALATION_PROCESS_MANAGER_DEFINITION, ESCALATION_RULES],
    };
  }
}
