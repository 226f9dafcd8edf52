import { assertNever, isAccountEventType, type AccountEvent, type EscalationOpened } from '@ahe/events';
import type { EventEnvelope } from '@ahe/event-store';
import type { EscalationStatus } from './escalations.types';

/**
 * The pure core of the escalations read model: one document per account holding what an
 * escalation row repeats about its account (name, manager, segment) and every escalation
 * opened on it. Rows follow the account's manager, so a handover moves them to the new one.
 */
export interface EscalationAccount {
  readonly accountId: string;
  /** Null until the account's AccountOpened is folded. */
  readonly name: string | null;
  readonly segment: string | null;
  readonly managerId: string | null;
  /** Stream revision of the last event that concerned this model; -1 before any. */
  readonly revision: number;
  readonly escalations: Readonly<Record<string, Escalation>>;
}

export interface Escalation {
  readonly escalationId: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly managerId: string;
  readonly segment: string;
  readonly rule: string;
  readonly reason: string;
  readonly severity: string | null;
  readonly dueAt: string | null;
  readonly triggeringEventId: string;
  readonly status: EscalationStatus;
  /** occurredAt of EscalationOpened. */
  readonly createdAt: string;
  readonly openedEventId: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly acknowledgementNote: string | null;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
  /** recordedAt and global position of the last event that changed the row. */
  readonly updatedAt: string;
  readonly position: number;
}

export type FoldedEnvelope = Pick<EventEnvelope, 'eventId' | 'type' | 'revision' | 'globalPosition' | 'occurredAt' | 'recordedAt' | 'data'>;

/** The event types that change this model; the rest are skipped before any row is read. */
export const ESCALATION_MODEL_EVENTS: ReadonlySet<string> = new Set([
  'AccountOpened',
  'AccountManagerAssigned',
  'EscalationOpened',
  'EscalationAcknowledged',
  'EscalationResolved',
]);

export class EscalationAccountNotOpenedError extends Error {
  override readonly name = 'EscalationAccountNotOpenedError';

  constructor(accountId: string, envelope: Pick<EventEnvelope, 'eventId' | 'type' | 'revision'>) {
    super(`account ${accountId}: ${envelope.type} ${envelope.eventId} at revision ${envelope.revision} precedes any AccountOpened`);
  }
}

export function initialEscalationAccount(accountId: string): EscalationAccount {
  return { accountId, name: null, segment: null, managerId: null, revision: -1, escalations: {} };
}

/**
 * Folds one envelope of the account's stream. Transitions mirror the account decider's evolve:
 * a second open of an id changes nothing, acknowledging is open → acknowledged only, and an
 * acknowledgement or resolution of an id never opened here is ignored. An envelope at or below
 * the folded revision changes nothing, so replaying a batch is a no-op.
 */
export function evolveEscalationAccount(account: EscalationAccount, envelope: FoldedEnvelope): EscalationAccount {
  // Already folded: the batch is being applied again (after a crash, or one by one).
  if (envelope.revision <= account.revision) return account;
  if (!isAccountEventType(envelope.type) || !ESCALATION_MODEL_EVENTS.has(envelope.type)) return account;
  const stamped: EscalationAccount = { ...account, revision: envelope.revision };
  const event = { type: envelope.type, data: envelope.data } as AccountEvent;
  switch (event.type) {
    case 'AccountOpened':
      return { ...stamped, name: event.data.name, segment: event.data.segment, managerId: event.data.managerId };
    case 'AccountManagerAssigned':
      return handOver(opened(stamped, envelope), event.data.managerId, envelope);
    case 'EscalationOpened': {
      const { name, segment, managerId } = opened(stamped, envelope);
      if (account.escalations[event.data.escalationId] !== undefined) return stamped;
      return withEscalation(stamped, openedEscalation(account.accountId, { name, segment, managerId }, event.data, envelope));
    }
    case 'EscalationAcknowledged': {
      const escalation = opened(stamped, envelope).escalations[event.data.escalationId];
      if (escalation === undefined || escalation.status !== 'open') return stamped;
      return withEscalation(stamped, {
        ...changedBy(escalation, envelope),
        status: 'acknowledged',
        acknowledgedAt: envelope.occurredAt,
        acknowledgedBy: event.data.by ?? null,
        acknowledgementNote: event.data.note ?? null,
      });
    }
    case 'EscalationResolved': {
      const escalation = opened(stamped, envelope).escalations[event.data.escalationId];
      if (escalation === undefined || escalation.status === 'resolved') return stamped;
      return withEscalation(stamped, { ...changedBy(escalation, envelope), status: 'resolved', resolvedAt: envelope.occurredAt, resolution: event.data.resolution });
    }
    case 'ContactLogged':
    case 'ComplaintRaised':
    case 'ComplaintResolved':
    case 'SatisfactionRecorded':
    case 'InvoiceIssued':
    case 'InvoicePaid':
    case 'RenewalWon':
    case 'RenewalLost':
    case 'ExpansionWon':
    case 'AccountClosed':
      return account;
    default:
      return assertNever(event);
  }
}

type OpenedAccount = EscalationAccount & { readonly name: string; readonly segment: string; readonly managerId: string };

function opened(account: EscalationAccount, envelope: FoldedEnvelope): OpenedAccount {
  if (account.name === null || account.segment === null || account.managerId === null) {
    throw new EscalationAccountNotOpenedError(account.accountId, envelope);
  }
  return account as OpenedAccount;
}

function openedEscalation(
  accountId: string,
  account: { readonly name: string; readonly segment: string; readonly managerId: string },
  data: EscalationOpened,
  envelope: FoldedEnvelope,
): Escalation {
  return {
    escalationId: data.escalationId,
    accountId,
    accountName: account.name,
    managerId: account.managerId,
    segment: account.segment,
    rule: data.rule,
    reason: data.reason,
    severity: data.severity ?? null,
    dueAt: data.dueAt ?? null,
    triggeringEventId: data.triggeringEventId,
    status: 'open',
    createdAt: envelope.occurredAt,
    openedEventId: envelope.eventId,
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgementNote: null,
    resolvedAt: null,
    resolution: null,
    updatedAt: envelope.recordedAt,
    position: envelope.globalPosition,
  };
}

function handOver(account: OpenedAccount, managerId: string, envelope: FoldedEnvelope): EscalationAccount {
  const escalations: Record<string, Escalation> = {};
  for (const [id, escalation] of Object.entries(account.escalations)) {
    escalations[id] = escalation.managerId === managerId ? escalation : { ...changedBy(escalation, envelope), managerId };
  }
  return { ...account, managerId, escalations };
}

const changedBy = (escalation: Escalation, envelope: FoldedEnvelope): Escalation => ({
  ...escalation,
  updatedAt: envelope.recordedAt,
  position: envelope.globalPosition,
});

const withEscalation = (account: EscalationAccount, escalation: Escalation): EscalationAccount => ({
  ...account,
  escalations: { ...account.escalations, [escalation.escalationId]: escalation },
});

/** The escalations the fold from `before` to `after` created or changed (documents are immutable). */
export function changedEscalations(before: EscalationAccount, after: EscalationAccount): Escalation[] {
  return Object.values(after.escalations).filter((escalation) => before.escalations[escalation.escalationId] !== escalation);
}
