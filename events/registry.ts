import type { z } from 'zod';
import { ACCOUNT_CLOSED, accountClosedEvent } from './account-closed.event';
import { ACCOUNT_MANAGER_ASSIGNED, accountManagerAssignedEvent } from './account-manager-assigned.event';
import { ACCOUNT_OPENED, accountOpenedEvent } from './account-opened.event';
import { COMPLAINT_RAISED, complaintRaisedEvent } from './complaint-raised.event';
import { COMPLAINT_RESOLVED, complaintResolvedEvent } from './complaint-resolved.event';
import { CONTACT_LOGGED, contactLoggedEvent } from './contact-logged.event';
import { ESCALATION_ACKNOWLEDGED, escalationAcknowledgedEvent } from './escalation-acknowledged.event';
import { ESCALATION_OPENED, escalationOpenedEvent } from './escalation-opened.event';
import { ESCALATION_RESOLVED, escalationResolvedEvent } from './escalation-resolved.event';
import { EXPANSION_WON, expansionWonEvent } from './expansion-won.event';
import { INVOICE_ISSUED, invoiceIssuedEvent } from './invoice-issued.event';
import { INVOICE_PAID, invoicePaidEvent } from './invoice-paid.event';
import { RENEWAL_LOST, renewalLostEvent } from './renewal-lost.event';
import { RENEWAL_WON, renewalWonEvent } from './renewal-won.event';
import { SATISFACTION_RECORDED, satisfactionRecordedEvent } from './satisfaction-recorded.event';
import type { EventDescriptor } from './shared/event-descriptor';

/** Every event type of an `account-<accountId>` stream, in catalogue order. */
export const EVENT_TYPES = Object.freeze([
  ACCOUNT_OPENED,
  ACCOUNT_MANAGER_ASSIGNED,
  CONTACT_LOGGED,
  COMPLAINT_RAISED,
  COMPLAINT_RESOLVED,
  SATISFACTION_RECORDED,
  INVOICE_ISSUED,
  INVOICE_PAID,
  RENEWAL_WON,
  RENEWAL_LOST,
  EXPANSION_WON,
  ACCOUNT_CLOSED,
  ESCALATION_OPENED,
  ESCALATION_ACKNOWLEDGED,
  ESCALATION_RESOLVED,
] as const);

export type AccountEventType = (typeof EVENT_TYPES)[number];

// `satisfies` makes a missing type, an extra key or a key naming the wrong descriptor a compile error.
export const EVENT_REGISTRY = Object.freeze({
  [ACCOUNT_OPENED]: accountOpenedEvent,
  [ACCOUNT_MANAGER_ASSIGNED]: accountManagerAssignedEvent,
  [CONTACT_LOGGED]: contactLoggedEvent,
  [COMPLAINT_RAISED]: complaintRaisedEvent,
  [COMPLAINT_RESOLVED]: complaintResolvedEvent,
  [SATISFACTION_RECORDED]: satisfactionRecordedEvent,
  [INVOICE_ISSUED]: invoiceIssuedEvent,
  [INVOICE_PAID]: invoicePaidEvent,
  [RENEWAL_WON]: renewalWonEvent,
  [RENEWAL_LOST]: renewalLostEvent,
  [EXPANSION_WON]: expansionWonEvent,
  [ACCOUNT_CLOSED]: accountClosedEvent,
  [ESCALATION_OPENED]: escalationOpenedEvent,
  [ESCALATION_ACKNOWLEDGED]: escalationAcknowledgedEvent,
  [ESCALATION_RESOLVED]: escalationResolvedEvent,
} satisfies { readonly [Type in AccountEventType]: EventDescriptor<Type, z.ZodType> });

export type EventRegistry = typeof EVENT_REGISTRY;

/** The payload of one event type, at its current schema version. */
export type AccountEventData<Type extends AccountEventType> = z.infer<EventRegistry[Type]['schema']>;

/** The discriminated union deciders emit and projections fold. */
export type AccountEvent = {
  [Type in AccountEventType]: { readonly type: Type; readonly data: AccountEventData<Type> };
}[AccountEventType];

export type AccountEventOf<Type extends AccountEventType> = Extract<AccountEvent, { type: Type }>;

export function isAccountEventType(value: unknown): value is AccountEventType {
  return typeof value === 'string' && Object.hasOwn(EVENT_REGISTRY, value);
}

/** The version writers stamp on a new event of this type. */
export function currentSchemaVersion(type: AccountEventType): number {
  return EVENT_REGISTRY[type].schemaVersion;
}

/** Ends every `switch` over events, so an unhandled new type fails to compile. */
export function assertNever(value: never): never {
  const type = (value as { type?: unknown } | null)?.type;
  throw new Error(`Unhandled event type ${JSON.stringify(type ?? value)}`);
}
