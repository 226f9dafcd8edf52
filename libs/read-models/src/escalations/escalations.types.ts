import type { EscalationRule, Severity } from '@ahe/events';

/** The shapes the escalation routes serve (API.md "Escalations"), from the `escalations` table. */
export const ESCALATION_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export interface EscalationView {
  readonly escalationId: string;
  readonly accountId: string;
  readonly accountName: string;
  /** The account's current manager (rows follow a handover). */
  readonly managerId: string;
  readonly segment: string;
  readonly rule: EscalationRule;
  readonly reason: string;
  readonly severity: Severity | null;
  readonly status: EscalationStatus;
  /** eventId of the event that fired the rule (for a timer rule, the one that started the timer). */
  readonly triggeringEventId: string;
  readonly dueAt: string | null;
  /** occurredAt of EscalationOpened. */
  readonly createdAt: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly acknowledgementNote: string | null;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
  /** Global position of the last event that changed the row. */
  readonly position: number;
  /** recordedAt of that event. */
  readonly updatedAt: string;
}

export const DEFAULT_ESCALATION_PAGE_SIZE = 100;
export const MAX_ESCALATION_PAGE_SIZE = 1_000;

/** Newest first (createdAt, then escalationId, both descending); every filter optional. */
export interface EscalationListQuery {
  readonly status?: EscalationStatus;
  readonly accountId?: string;
  readonly rule?: EscalationRule;
  readonly managerId?: string;
  /** 1..1000, default 100. */
  readonly limit?: number;
  /** Opaque, from a previous page's nextCursor. */
  readonly cursor?: string;
}
