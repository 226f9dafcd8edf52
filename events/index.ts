/**
 * The event contract of the Account Health Engine: one module per event type, the
 * `AccountEvent` union, the registry of schemas and upcasters, and the functions that read
 * and validate payloads. Imports nothing but zod.
 */
export * from './account-opened.event';
export * from './account-manager-assigned.event';
export * from './contact-logged.event';
export * from './complaint-raised.event';
export * from './complaint-resolved.event';
export * from './satisfaction-recorded.event';
export * from './invoice-issued.event';
export * from './invoice-paid.event';
export * from './renewal-won.event';
export * from './renewal-lost.event';
export * from './expansion-won.event';
export * from './account-closed.event';
export * from './escalation-opened.event';
export * from './escalation-acknowledged.event';
export * from './escalation-resolved.event';

export { DEFAULT_SLA_HOURS, defaultSlaDueAt } from './complaint-sla';
export {
  InvalidEventDataError,
  UnknownEventTypeError,
  UnsupportedSchemaVersionError,
  UpcastFailedError,
} from './errors';
export { decodeEvent, parseEventData, type ParseEventResult } from './parsing';
export {
  assertNever,
  currentSchemaVersion,
  EVENT_REGISTRY,
  EVENT_TYPES,
  isAccountEventType,
  type AccountEvent,
  type AccountEventData,
  type AccountEventOf,
  type AccountEventType,
  type EventRegistry,
} from './registry';
export type { EventDescriptor, UpcastContext, Upcaster } from './shared/event-descriptor';
export {
  calendarDate,
  currencyCode,
  id,
  ID_PATTERN,
  nonNegativeMoney,
  PLAIN_UTC_DATE_TIME,
  positiveMoney,
  SEVERITIES,
  TEXT_LIMITS,
  utcTimestamp,
  type Severity,
} from './shared/fields';
export type { EventIssue } from './shared/issues';
export { upcast, type StoredEvent, type UpcastEvent } from './upcasting';
