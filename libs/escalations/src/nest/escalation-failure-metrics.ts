import type { MetricsService } from '@ahe/platform';
import type { JobFailureListener } from '../queue';

/** The queues' failed attempts and dead letters as counters, whichever adapter runs them. */
export function escalationFailureMetrics(metrics: MetricsService): JobFailureListener {
  const failures = metrics.counter<'queue'>({
    name: 'ahe_escalation_job_failures_total',
    help: 'Attempts of escalation queue jobs whose handler threw, each retry and the last attempt included, by queue (escalations, webhooks)',
    labelNames: ['queue'],
  });
  const deadLettered = metrics.counter<'queue'>({
    name: 'ahe_escalation_jobs_dead_lettered_total',
    help: 'Escalation queue jobs moved to the dead-letter queue (attempts exhausted, or a permanent error), by the queue they came from',
    labelNames: ['queue'],
  });
  return {
    attemptFailed: (queue) => failures.inc({ queue }),
    deadLettered: (queue) => deadLettered.inc({ queue }),
  };
}
