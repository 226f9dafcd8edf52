import { assertNever, PLAIN_UTC_DATE_TIME, type AccountEvent } from '@ahe/events';
import type { AnyAccountState } from './account-collections';
import type { CommandContext } from './account.commands';
import type { AccountState } from './account.state';
import { assertValidContext } from './command-context.policy';
import { assertComplaintCanBeRaised, assertComplaintCanBeResolved } from './complaint.policy';
import {
  assertEscalationCanBeAcknowledged,
  assertEscalationCanBeOpened,
  assertEscalationCanBeResolved,
} from './escalation.policy';
import { validEvent } from './event-data.policy';
import { assertInvoiceCanBeIssued, assertPaymentCanBeRecorded } from './invoice.policy';
import { assertAccountLifecycle, assertManagerChange } from './lifecycle.policy';
import { assertRenewalCanBeLost, assertRenewalCanBeWon } from './renewal.policy';

/**
 * The one gate every new event passes, from a command or from an import: time, then shape
 * (400), then existence (404) and the account's rules (409). Returns the event as the
 * schema parsed it.
 */
export function admit(
  state: AccountState,
  event: { readonly type: string; readonly data: unknown },
  context: CommandContext,
): AccountEvent {
  assertValidContext(context);
  const admitted = validEvent(event);
  assertAccountRules(state, admitted, context);
  return admitted;
}

/** Existence (404) and the account's rules (409) for a well-formed event. */
function assertAccountRules(state: AnyAccountState, admitted: AccountEvent, context: CommandContext): void {
  assertAccountLifecycle(state, admitted, context);
  switch (admitted.type) {
    case 'AccountManagerAssigned':
      assertManagerChange(state, admitted.data);
      break;
    case 'ComplaintRaised':
      assertComplaintCanBeRaised(state, admitted.data, context);
      break;
    case 'ComplaintResolved':
      assertComplaintCanBeResolved(state, admitted.data, context);
      break;
    case 'InvoiceIssued':
      assertInvoiceCanBeIssued(state, admitted.data, context);
      break;
    case 'InvoicePaid':
      assertPaymentCanBeRecorded(state, admitted.data);
      break;
    case 'RenewalWon':
      assertRenewalCanBeWon(state, admitted.data);
      break;
    case 'RenewalLost':
      assertRenewalCanBeLost(state);
      break;
    case 'EscalationOpened':
      assertEscalationCanBeOpened(state, admitted.data);
      break;
    case 'EscalationAcknowledged':
      assertEscalationCanBeAcknowledged(state, admitted.data);
      break;
    case 'EscalationResolved':
      assertEscalationCanBeResolved(state, admitted.data);
      break;
    // Their rules are the lifecycle's and the schema's.
    case 'AccountOpened':
    case 'ContactLogged':
    case 'SatisfactionRecorded':
    case 'ExpansionWon':
    case 'AccountClosed':
      break;
    default:
      assertNever(admitted);
  }
}

/**
 * Throws the DomainError that `decide` would throw for the command that records this event.
 * The importer calls it line by line, folding each admitted event, so an import and the
 * commands can never disagree.
 */
export function admitEvent(state: AccountState, event: AccountEvent, context: CommandContext): void {
  admit(state, event, context);
}

/**
 * `admitEvent` for an event whose data `parseEventData` has accepted already (the importer
 * checks it first, to report a line's data before its time and rules): its time and the
 * account's rules, without checking or copying the data again. The state may be the folded
 * account of `evolveFolded`, which costs nothing to carry from one event to the next.
 */
export function admitParsedEvent(state: AnyAccountState, event: AccountEvent, context: CommandContext): void {
  if (!plainValidContext(context)) assertValidContext(context);
  assertAccountRules(state, event, context);
}

/**
 * Instants assertValidContext accepts without asking zod: UTC as toISOString writes it, on a
 * day its month has in every year. Both in this form, they order as strings.
 */
const PLAIN_UTC_MILLIS = new RegExp(String.raw`^${PLAIN_UTC_DATE_TIME}\.\d{3}Z$`);

/**
 * Whether assertValidContext would pass the context, answered without zod for plain instants
 * (the lines of a bulk import: two schema checks per line were a tenth of admitting one); false means
 * "ask assertValidContext", which throws what it always did.
 */
function plainValidContext(context: CommandContext): boolean {
  const { now, occurredAt } = context;
  if (typeof now !== 'string' || typeof occurredAt !== 'string') return false;
  return PLAIN_UTC_MILLIS.test(now) && PLAIN_UTC_MILLIS.test(occurredAt) && occurredAt <= now;
}
