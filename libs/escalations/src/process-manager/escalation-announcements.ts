import type { EventEnvelope } from '@ahe/event-store';
import type { PlannedJob } from '../escalation-jobs';
import { webhookDeliveriesFor } from '../webhooks';
import type { EscalationWatch } from '../workflow';

const DAY_MS = 86_400_000;

/** Who hears of escalation events, and how old an event may be to still be news. */
export interface AnnouncementOptions {
  readonly webhookUrls: readonly string[];
  readonly maxAgeDays: number;
}

/**
 * Webhooks hear of escalation events as the log records them. Age is the event's recordedAt:
 * one recorded more than maxAgeDays ago is read again only by a replay of the process manager,
 * and its receivers heard of it when it was recorded. A command's back-dated occurredAt (an
 * acknowledgement entered late) does not silence it: the receivers learn of it now. An imported
 * event is history copied in, so it is also judged by its occurredAt and a backfill stays quiet.
 */
export function announcementsOf(envelope: EventEnvelope, watch: EscalationWatch, options: AnnouncementOptions, now: Date): readonly PlannedJob[] {
  if (options.webhookUrls.length === 0) return [];
  const recordedAt = Date.parse(envelope.recordedAt);
  const arisenAt = isImported(envelope) ? Math.min(recordedAt, Date.parse(envelope.occurredAt)) : recordedAt;
  if (now.getTime() - arisenAt > options.maxAgeDays * DAY_MS) return [];
  const { state } = watch.facts;
  return webhookDeliveriesFor(envelope, options.webhookUrls, {
    name: state.name ?? '',
    managerId: state.managerId ?? '',
    segment: state.segment ?? '',
  });
}

/**
 * The importer stamps only a correlationId (the import's id) and an actor; every command, the
 * API's and the escalation worker's, also records what caused it. So an event without a
 * causationId was copied in, not decided here.
 */
export function isImported(envelope: EventEnvelope): boolean {
  const { causationId } = envelope.metadata;
  return typeof causationId !== 'string' || causationId === '';
}
