import { accountIdOfStream, deterministicUuid } from '@ahe/domain';
import type { EventEnvelope } from '@ahe/event-store';
import type { PlannedJob } from '../escalation-jobs';

/** The escalation events a webhook hears of; every other type is none of its business. */
export const WEBHOOK_EVENT_TYPES: ReadonlySet<string> = new Set(['EscalationOpened', 'EscalationAcknowledged', 'EscalationResolved']);

/** What a receiver gets to know about the account without calling back. */
export interface WebhookAccount {
  readonly name: string;
  readonly managerId: string;
  readonly segment: string;
}

/** The JSON body of a delivery (X-Delivery-Id repeats deliveryId). */
export interface WebhookPayload {
  readonly deliveryId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly accountId: string;
  readonly escalationId: string;
  /** The event's payload as recorded. */
  readonly data: unknown;
  readonly event: { readonly eventId: string; readonly streamId: string; readonly revision: number; readonly globalPosition: number };
  readonly account?: WebhookAccount;
}

/**
 * One `deliver` job per URL for an escalation event on an account stream, none otherwise. The
 * delivery id derives from the event and the URL, so a re-delivered event plans the same job
 * ids (the queue drops them) and a receiver sees the same X-Delivery-Id on every attempt.
 * The body is serialized here, once: every attempt signs and sends the same bytes.
 */
export function webhookDeliveriesFor(envelope: EventEnvelope, urls: readonly string[], account?: WebhookAccount): PlannedJob[] {
  if (!WEBHOOK_EVENT_TYPES.has(envelope.type)) return [];
  const accountId = accountIdOfStream(envelope.streamId);
  if (accountId === null) return [];
  const { escalationId } = envelope.data as { readonly escalationId: string };
  return [...new Set(urls)].map((url) => {
    const deliveryId = deterministicUuid('webhook', envelope.eventId, url);
    const payload: WebhookPayload = {
      deliveryId,
      type: envelope.type,
      occurredAt: envelope.occurredAt,
      recordedAt: envelope.recordedAt,
      accountId,
      escalationId,
      data: envelope.data,
      event: { eventId: envelope.eventId, streamId: envelope.streamId, revision: envelope.revision, globalPosition: envelope.globalPosition },
      ...(account === undefined ? {} : { account: { name: account.name, managerId: account.managerId, segment: account.segment } }),
    };
    return { id: `deliver-${deliveryId}`, job: { kind: 'deliver', url, deliveryId, body: JSON.stringify(payload) } };
  });
}
