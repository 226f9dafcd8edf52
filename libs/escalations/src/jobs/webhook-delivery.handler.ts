import type { WebhookDeliveryJob } from '../escalation-jobs';
import type { JobHandler } from '../queue/escalation-queue.port';
import { deliverWebhook } from '../webhooks';

export interface WebhookDeliveryHandlerOptions {
  readonly secret: string;
  readonly timeoutMs: number;
  /** Told of every attempt: its outcome, and how long the receiver took. */
  readonly onAttempt?: (job: WebhookDeliveryJob, outcome: 'delivered' | 'failed', seconds: number) => void;
}

/**
 * Runs the `webhooks` queue: one signed POST per attempt. Anything but a 2xx throws, so the
 * queue retries with exponential backoff and dead-letters the delivery when retries run out.
 */
export function webhookDeliveryHandler(options: WebhookDeliveryHandlerOptions): JobHandler {
  return async ({ job }) => {
    const delivery = job.data as WebhookDeliveryJob;
    const started = performance.now();
    try {
      await deliverWebhook({ url: delivery.url, body: delivery.body, deliveryId: delivery.deliveryId, secret: options.secret, timeoutMs: options.timeoutMs });
      options.onAttempt?.(delivery, 'delivered', (performance.now() - started) / 1000);
    } catch (error) {
      options.onAttempt?.(delivery, 'failed', (performance.now() - started) / 1000);
      throw error;
    }
  };
}
