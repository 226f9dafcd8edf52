import { escalationOf, type AccountState } from '@ahe/domain';
import { assertNever, type EscalationOpened } from '@ahe/events';
import type { OpenEscalationJob, PlannedJob, WorkflowDecision } from '../escalation-jobs';
import { openJobId, resolveJobId } from './escalation-ids';
import type { EscalationAction, OpenAction } from './escalation-policies';

/** Where the jobs of one decision come from: the account and the event (or the last one, in a recheck). */
export interface PlanContext {
  readonly accountId: string;
  readonly triggeringEventId: string;
  readonly correlationId?: string;
}

export const NO_DECISION: WorkflowDecision = Object.freeze({ jobs: Object.freeze([]), cancellations: Object.freeze([]) });

/**
 * Turns what the policies want into queue jobs with deterministic ids. An escalation the
 * account already holds is not opened again, and only an open or acknowledged one is resolved:
 * the stream, not the queue, is the record of what exists; a resolve job carries the rule the
 * stream recorded. A job asked for twice is planned once, as first asked: a policy that saw the
 * cause go (with its words) goes before the cause-gone policy.
 */
export function planDecision(actions: readonly EscalationAction[], state: AccountState, context: PlanContext): WorkflowDecision {
  const jobs = new Map<string, PlannedJob>();
  const cancellations = new Set<string>();
  for (const action of actions) {
    const known = escalationOf(state, action.escalationId);
    switch (action.kind) {
      case 'open':
        if (known === undefined && !jobs.has(openJobId(action.escalationId))) jobs.set(openJobId(action.escalationId), openJob(action, context));
        break;
      case 'resolve': {
        if (known === undefined || known.status === 'resolved' || jobs.has(resolveJobId(action.escalationId))) break;
        const { accountId, correlationId } = context;
        const { escalationId, resolution } = action;
        jobs.set(resolveJobId(escalationId), {
          id: resolveJobId(escalationId),
          job: { kind: 'resolve', accountId, escalationId, resolution, rule: known.rule, ...(correlationId === undefined ? {} : { correlationId }) },
        });
        break;
      }
      case 'cancel':
        cancellations.add(openJobId(action.escalationId));
        break;
      default:
        assertNever(action);
    }
  }
  return jobs.size === 0 && cancellations.size === 0 ? NO_DECISION : { jobs: [...jobs.values()], cancellations: [...cancellations] };
}

/** A timer planned again by a sweep names the event that started it, with that event's correlation. */
function openJob(action: OpenAction, context: PlanContext): PlannedJob {
  const { escalationId, rule, reason, severity, dueAt, condition, runAt, trigger } = action;
  const { triggeringEventId, correlationId } = trigger === undefined ? context : { triggeringEventId: trigger.eventId, correlationId: trigger.correlationId };
  const escalation: EscalationOpened = {
    escalationId,
    rule,
    reason,
    triggeringEventId,
    ...(severity === undefined ? {} : { severity }),
    ...(dueAt === undefined ? {} : { dueAt }),
  };
  const job: OpenEscalationJob = {
    kind: 'open',
    accountId: context.accountId,
    escalation,
    condition,
    ...(runAt === undefined ? {} : { runAt }),
    ...(correlationId === undefined ? {} : { correlationId }),
  };
  return { id: openJobId(escalationId), job, ...(runAt === undefined ? {} : { runAtMs: Date.parse(runAt) }) };
}
