import type { EventEnvelope } from '@ahe/event-store';
import { assertNever, isAccountEventType, type AccountEventType } from '@ahe/events';
import { nextUtcMidnight, scoreAccountHealth } from '@ahe/read-models';
import type { WorkflowDecision } from '../escalation-jobs';
import { accountClosedPolicy } from './account-closed.policy';
import { causeGonePolicy } from './cause-gone.policy';
import { complaintSlaPolicy, criticalComplaintPolicy, invoiceOverduePolicy, type EscalationPolicy, type PolicyInput, type TriggeringEvent } from './escalation-policies';
import { NO_DECISION, planDecision, type PlanContext } from './escalation-plan';
import { pendingOpens } from './escalation-timers';
import { evolveEscalationWatch, laterOf, reevaluateWatch, type EscalationWatch, type EscalationWorkflowOptions } from './escalation-watch';
import { bandRedPolicy, satisfactionDropPolicy } from './health.policies';
import { correlationIdOf } from './timer-causes';

/**
 * The escalation workflow of one account, shaped like the account's decider: `evolve` folds
 * the account's events into an EscalationWatch, `decide` asks the policies about the watch
 * after one event (and the event itself) and answers with queue jobs. Pure: time comes in as
 * `now`, ids are derived from causes and from the escalations on the stream, so a replay of the
 * log plans the ids the live run planned.
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
 * clock, which only the freshness filter reads. Every decision also resolves what lost its
 * cause (cause-gone policy, last so a policy's own words win). A closed account escalates
 * nothing new; the AccountClosed itself resolves what is still open, with its reason.
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
  const input: PolicyInput = { event, before, after, rules: options.rules, now };
  const policies = [...openingPolicies(event, state.closed), causeGonePolicy];
  return planDecision(policies.flatMap((policy) => policy(input)), state, planContextOf(after.accountId, envelope));
}

/** Re-delivered, the AccountClosed plans its jobs again (the same ids); after it, nothing opens. */
function openingPolicies(event: TriggeringEvent | null, closed: boolean): readonly EscalationPolicy[] {
  if (closed) return event?.type === 'AccountClosed' ? [accountClosedPolicy] : [];
  return event === null ? STATE_POLICIES : policiesFor(event.type);
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
 * A periodic sweep at `now`: band and trend re-evaluated, since days without contact or an
 * invoice growing older can turn an account red with no event at all (escalations it opens
 * name the account's last event as their trigger); the opens owed to open complaints (a critical
 * one's at-once open, every SLA timer) and unpaid invoices planned again, in case the queue lost
 * them; and what lost its cause resolved.
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
  const actions = [...STATE_POLICIES.flatMap((policy) => policy(input)), ...pendingOpens(after, options.rules, now), ...causeGonePolicy(input)];
  return { watch: after, decision: planDecision(actions, state, { accountId: watch.accountId, triggeringEventId: watch.lastEventId }) };
}

/**
 * The next instant a recheck could find something new: when the health score can next change
 * without an event (a UTC midnight, a complaint's SLA running out, a survey leaving the
 * trend window), as the account_health read model schedules its own re-scoring. That is at
 * least daily, so an open the queue lost is planned again within a day; a churned account's
 * score stands still, but its complaints and invoices still run out, so it is rechecked daily
 * while an open is pending. Null when nothing can change: no account, a closed one, a churned one
 * with no open pending, or the band and trend rules switched off and no open pending.
 */
export function nextRecheckAt(watch: EscalationWatch, options: EscalationWorkflowOptions, now: Date): Date | null {
  const { state } = watch.facts;
  if (!state.exists || state.closed) return null;
  const at = new Date(laterOf(now.toISOString(), watch.evaluatedAt));
  const { bandRed, satisfactionDrop } = options.rules;
  if (!bandRed.enabled && !satisfactionDrop.enabled && pendingOpens(watch, options.rules, at).length === 0) return null;
  const { rescoreAt } = scoreAccountHealth(watch.facts, options.scoring, at);
  if (rescoreAt !== null) return new Date(rescoreAt);
  return pendingOpens(watch, options.rules, at).length > 0 ? new Date(nextUtcMidnight(at.getTime())) : null;
}

/** Null for an event type this build does not know: it moves time, nothing else. */
function triggeringEventOf(envelope: EventEnvelope): TriggeringEvent | null {
  if (!isAccountEventType(envelope.type)) return null;
  return { type: envelope.type, data: envelope.data, occurredAt: envelope.occurredAt, eventId: envelope.eventId } as TriggeringEvent;
}

function planContextOf(accountId: string, envelope: EventEnvelope): PlanContext {
  const correlationId = correlationIdOf(envelope);
  return { accountId, triggeringEventId: envelope.eventId, ...(correlationId === undefined ? {} : { correlationId }) };
}
