import type { MetricsService } from '@ahe/platform';
import type { OpenEscalationJob, PlannedJob, ResolveEscalationJob, WebhookDeliveryJob } from '../escalation-jobs';
import type { JobOutcome } from '../jobs/escalation-command.handler';

/** What the escalation workflow reports to /metrics. */
export interface EscalationMetrics {
  enqueued(jobs: readonly PlannedJob[]): void;
  outcome(job: OpenEscalationJob | ResolveEscalationJob, outcome: JobOutcome): void;
  delivery(job: WebhookDeliveryJob, outcome: 'delivered' | 'failed', seconds: number): void;
}

export function escalationMetrics(metrics: MetricsService): EscalationMetrics {
  const enqueued = metrics.counter({
    name: 'ahe_escalation_jobs_enqueued_total',
    help: 'Jobs the escalation process manager enqueued (a re-enqueued id counts again; the queue runs it once)',
    labelNames: ['kind'],
  });
  const outcomes = metrics.counter({
    name: 'ahe_escalations_total',
    help: 'Escalation jobs run, by rule and outcome: opened, resolved, cancelled (cause gone before its timer fired), duplicate',
    labelNames: ['rule', 'outcome'],
  });
  const deliveries = metrics.counter({
    name: 'ahe_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (failed attempts are retried with backoff)',
    labelNames: ['outcome'],
  });
  const deliverySeconds = metrics.histogram({
    name: 'ahe_webhook_delivery_seconds',
    help: 'Time for a webhook receiver to answer one delivery attempt',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  return {
    enqueued: (jobs) => {
      for (const { job } of jobs) enqueued.inc({ kind: job.kind });
    },
    outcome: (job, outcome) => outcomes.inc({ rule: job.kind === 'open' ? job.escalation.rule : (job.rule ?? 'unknown'), outcome }),
    delivery: (_job, outcome, seconds) => {
      deliveries.inc({ outcome });
      deliverySeconds.observe(seconds);
    },
  };
}
