import type { EventEnvelope } from '@ahe/event-store';
import { assertNever, isAccountEventType, type AccountEventType } from '@ahe/events';
import { scoreAccountHealth } from '@ahe/read-models';
import type { WorkflowDecision } from '../escalation-jobs';
import { accountClosedPolicy } from './account-closed.policy';
import {
  bandRedPolicy,
  complaintSlaPolicy,
  criticalComplaintPolicy,
  invoiceOverduePolicy,
  satisfactionDropPolicy,
  type EscalationPolicy,
  type PolicyInput,
  type TriggeringEvent,
} from './escalation-policies';
import { NO_DECISION, planDecision, type PlanContext } from './escalation-plan';
import { evolveEscalationWatch, laterOf, reevaluateWatch, type EscalationWatch, type EscalationWorkflowOptions } from './escalation-watch';

/**
 * The escalation workflow of one account, shaped like the account's decider: `evolve` folds
 * the account's events into an EscalationWatch, `decide` compares the watch before and after
 * one event and answers with queue jobs. Pure: time comes in as `now`, ids are derived from
 * causes, so a replay of the log plans exactly the jobs the live run planned.
 */

/** Band and trend move with every event (time passes) and on a recheck. */
const STATE_POLICIES: readonly EscalationPolicy[] = [bandRedPolicy, satisfactionDropPolicy];

/** The policies an event can fire; the `never` check makes a new event type a decision, not an oversight. */
function policiesFor(type: AccountEventType): readonly EscalationPolicy[] {
  switch (type) {
    case 'ComplaintRaised':
    case 'ComplaintResolved':
      return [criticalComplaintPolicy, complaintSlaPolicy, ...STATE_POLICIES];
    case 'InvoiceIssued':
    case 'InvoicePaid':
      return [invoiceOverduePolicy, ...STATE_POLICIES];
    case 'AccountClosed':
      return [accountClosedPolicy];
    case 'AccountOpened':
    case 'AccountManagerAssigned':
    case 'ContactLogged':
    case 'SatisfactionRecorded':
    case 'RenewalWon':
    case 'RenewalLost':
    case 'ExpansionWon':
    case 'EscalationOpened':
    case 'EscalationAcknowledged':
    case 'EscalationResolved':
      return STATE_POLICIES;
    default:
      return assertNever(type);
  }
}

/**
 * The jobs one event of the account's stream calls for. `before` and `after` are the watch
 * before and after `evolveEscalationWatch` folded `envelope`; `now` is the process manager's
 * clock, which only the freshness filter reads. A closed account escalates nothing new; the
 * AccountClosed itself resolves what is still open.
 */
export function decideEscalations(
  before: EscalationWatch,
  after: EscalationWatch,
  envelope: EventEnvelope,
  options: EscalationWorkflowOptions,
  now: Date,
): WorkflowDecision {
  const { state } = after.facts;
  if (!state.exists) return NO_DECISION;
  const event = triggeringEventOf(envelope);
  // Re-delivered, the AccountClosed plans its jobs again (the same ids); nothing else does after it.
  if (state.closed && event?.type !== 'AccountClosed') return NO_DECISION;
  const input: PolicyInput = { event, before, after, rules: options.rules, now };
  const policies = event === null ? STATE_POLICIES : policiesFor(event.type);
  return planDecision(
    policies.flatMap((policy) => policy(input)),
    state,
    planContextOf(after.accountId, envelope),
  );
}

/** Fold and decide in one step: what the process manager does with each event it reads. */
export function applyEscalationEvent(
  watch: EscalationWatch,
  envelope: EventEnvelope,
  options: EscalationWorkflowOptions,
  now: Date,
): { readonly watch: EscalationWatch; readonly decision: WorkflowDecision } {
  const after = evolveEscalationWatch(watch, envelope, options);
  return { watch: after, decision: decideEscalations(watch, after, envelope, options, now) };
}

/**
 * A periodic sweep: band and trend re-evaluated at `now`, since days without contact or an
 * invoice growing older can turn an account red with no event at all. Escalations it opens
 * name the account's last event as their trigger.
 */
export function recheckEscalations(
  watch: EscalationWatch,
  options: EscalationWorkflowOptions,
  now: Date,
): { readonly watch: EscalationWatch; readonly decision: WorkflowDecision } {
  const { state } = watch.facts;
  if (!state.exists || state.closed || watch.lastEventId === null) return { watch, decision: NO_DECISION };
  const after = reevaluateWatch(watch, laterOf(now.toISOString(), watch.evaluatedAt), options);
  const input: PolicyInput = { event: null, before: watch, after, rules: options.rules, now };
  const actions = STATE_POLICIES.flatMap((policy) => policy(input));
  return { watch: after, decision: planDecision(actions, state, { accountId: watch.accountId, triggeringEventId: watch.lastEventId }) };
}

/**
 * The next instant a recheck could find something new: when the health score can next change
 * without an event (a UTC midnight, a complaint's SLA running out, a survey leaving the
 * trend window), as the account_health read model schedules its own re-scoring. Null when
 * nothing can change: no account, a closed one, or both time-driven rules switched off.
 */
export function nextRecheckAt(watch: EscalationWatch, options: EscalationWorkflowOptions, now: Date): Date | null {
  const { state } = watch.facts;
  if (!state.exists || state.closed) return null;
  if (!options.rules.bandRed.enabled && !options.rules.satisfactionDrop.enabled) return null;
  const at = new Date(laterOf(now.toISOString(), watch.evaluatedAt));
  const { rescoreAt } = scoreAccountHealth(watch.facts, options.scoring, at);
  return rescoreAt === null ? null : new Date(rescoreAt);
}

/** Null for an event type this build does not know: it moves time, nothing else. */
function triggeringEventOf(envelope: EventEnvelope): TriggeringEvent | null {
  if (!isAccountEventType(envelope.type)) return null;
  return { type: envelope.type, data: envelope.data, occurredAt: envelope.occurredAt, eventId: envelope.eventId } as TriggeringEvent;
}

function planContextOf(accountId: string, envelope: EventEnvelope): PlanContext {
  const { correlationId } = envelope.metadata;
  return {
    accountId,
    triggeringEventId: envelope.eventId,
    ...(typeof correlationId === 'string' && correlationId !== '' ? { correlationId } : {}),
  };
}
