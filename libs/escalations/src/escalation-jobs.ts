import type { EscalationOpened, EscalationRule } from '@ahe/events';

/**
 * What the escalation process manager asks the queue to do. Every job has a deterministic id
 * (no `:`; BullMQ forbids it), so an event delivered twice, a batch replayed after a crash or a
 * rebuild from the start of the log enqueues the same ids again, and the queue ignores them.
 */
export type EscalationJob = OpenEscalationJob | ResolveEscalationJob | WebhookDeliveryJob;

/** The queues, by what runs in them: the workflow's own commands, and webhook side effects. */
export const ESCALATION_QUEUES = ['escalations', 'webhooks'] as const;
export type EscalationQueueName = (typeof ESCALATION_QUEUES)[number];

/**
 * What must still hold when an open job runs. Timer rules are enqueued when their cause is
 * recorded and run at the deadline; the worker re-reads the account's stream then, so a
 * complaint resolved (or an invoice paid) meanwhile never escalates.
 */
export type OpenCondition =
  | { readonly kind: 'always' }
  | { readonly kind: 'complaint-open'; readonly complaintId: string }
  | { readonly kind: 'invoice-unpaid'; readonly invoiceId: string };

export interface OpenEscalationJob {
  readonly kind: 'open';
  readonly accountId: string;
  readonly escalation: EscalationOpened;
  readonly condition: OpenCondition;
  /** When to run (ISO instant); absent or past: at once. */
  readonly runAt?: string;
  /** correlationId of the triggering event, carried into EscalationOpened's metadata. */
  readonly correlationId?: string;
}

/** The cause went away (complaint resolved, invoice paid, band no longer red). */
export interface ResolveEscalationJob {
  readonly kind: 'resolve';
  readonly accountId: string;
  readonly escalationId: string;
  readonly resolution: string;
  /** The rule of the escalation, as the stream recorded it: a label for metrics. */
  readonly rule?: EscalationRule;
  readonly correlationId?: string;
}

/** One escalation event to one webhook URL. */
export interface WebhookDeliveryJob {
  readonly kind: 'deliver';
  readonly url: string;
  /** Sent as X-Delivery-Id; the same for every attempt, so the receiver can dedupe. */
  readonly deliveryId: string;
  /** Serialized once, so every attempt signs and sends the same bytes. */
  readonly body: string;
}

export function queueOf(job: EscalationJob): EscalationQueueName {
  return job.kind === 'deliver' ? 'webhooks' : 'escalations';
}

/** A job with its deterministic queue id, as the workflow plans it. */
export interface PlannedJob {
  readonly id: string;
  readonly job: EscalationJob;
  /** Epoch ms to run at (timers); absent: at once. */
  readonly runAtMs?: number;
}

/** What the workflow asks of the queue for one event (or one sweep). */
export interface WorkflowDecision {
  readonly jobs: readonly PlannedJob[];
  /** Ids of delayed open jobs in the `escalations` queue whose cause went away (a resolved complaint's SLA timer). */
  readonly cancellations: readonly string[];
}
