import { accountStreamId, deterministicUuid, DomainError, evolve, initialState, type AccountCommand, type AccountState, type FoldableEvent } from '@ahe/domain';
import { upcast } from '@ahe/events';
import { DuplicateEventIdError, type EventStore } from '@ahe/event-store';
import { runAccountCommand } from '@ahe/platform';
import type { OpenCondition, OpenEscalationJob, ResolveEscalationJob } from '../escalation-jobs';
import { PermanentJobError, type JobHandler } from '../queue/escalation-queue.port';

/** Who appends the workflow's events, in their metadata. */
export const ESCALATIONS_ACTOR = 'system:escalations';

/** What became of a job: done, or left alone because its cause went away or it was done before. */
export type JobOutcome = 'opened' | 'resolved' | 'cancelled' | 'duplicate';

export interface EscalationCommandHandlerOptions {
  readonly store: EventStore;
  readonly now: () => Date;
  readonly onOutcome?: (job: OpenEscalationJob | ResolveEscalationJob, outcome: JobOutcome) => void;
}

/** Rejections that mean "already done": a redelivered job, or the open that lost to the resolution. */
const ALREADY_DONE = new Set(['ESCALATION_ALREADY_EXISTS', 'ESCALATION_ALREADY_RESOLVED', 'ESCALATION_ALREADY_ACKNOWLEDGED', 'UNKNOWN_ESCALATION']);

/**
 * Runs the jobs of the `escalations` queue: re-reads the account's stream, checks that the
 * timer's condition still holds (an SLA timer of a resolved complaint opens nothing), then
 * appends through the account's decider with an event id derived from the escalation, so a
 * job run twice appends once. Store outages throw and are retried; a command the domain
 * refuses for another reason cannot succeed on retry and goes to the dead-letter queue.
 */
export function escalationCommandHandler(options: EscalationCommandHandlerOptions): JobHandler {
  return async ({ job }) => {
    const data = job.data as OpenEscalationJob | ResolveEscalationJob;
    const outcome = await run(options, data);
    options.onOutcome?.(data, outcome);
  };
}

async function run(options: EscalationCommandHandlerOptions, job: OpenEscalationJob | ResolveEscalationJob): Promise<JobOutcome> {
  if (job.kind === 'open') {
    const state = await currentState(options.store, job.accountId);
    if (state.escalations[job.escalation.escalationId] !== undefined) return 'duplicate';
    if (!conditionHolds(state, job.condition)) return 'cancelled';
    return append(options, job.accountId, { type: 'OpenEscalation', data: job.escalation }, job.escalation.escalationId, 'opened', job);
  }
  const resolution = { escalationId: job.escalationId, resolution: job.resolution };
  return append(options, job.accountId, { type: 'ResolveEscalation', data: resolution }, job.escalationId, 'resolved', job);
}

async function append(
  options: EscalationCommandHandlerOptions,
  accountId: string,
  command: AccountCommand,
  escalationId: string,
  outcome: 'opened' | 'resolved',
  job: OpenEscalationJob | ResolveEscalationJob,
): Promise<JobOutcome> {
  try {
    await runAccountCommand(
      options.store,
      accountId,
      command,
      {
        metadata: {
          actor: ESCALATIONS_ACTOR,
          ...(job.correlationId ? { correlationId: job.correlationId } : {}),
          causationId: job.kind === 'open' ? job.escalation.triggeringEventId : escalationId,
        },
        eventIdOf: (index) => deterministicUuid('escalation-event', escalationId, outcome, String(index)),
      },
      options.now,
    );
    return outcome;
  } catch (error) {
    if (error instanceof DuplicateEventIdError) return 'duplicate';
    if (error instanceof DomainError && ALREADY_DONE.has(error.code)) return 'duplicate';
    if (error instanceof DomainError) throw new PermanentJobError(`${error.code}: ${error.message}`);
    throw error;
  }
}

async function currentState(store: EventStore, accountId: string): Promise<AccountState> {
  const history = await store.readStream(accountStreamId(accountId));
  return history.reduce((state, event) => evolve(state, { ...upcast(event), occurredAt: event.occurredAt } as FoldableEvent), initialState());
}

function conditionHolds(state: AccountState, condition: OpenCondition): boolean {
  if (!state.exists || state.closed) return false;
  switch (condition.kind) {
    case 'always':
      return true;
    case 'complaint-open':
      return state.openComplaints[condition.complaintId] !== undefined;
    case 'invoice-unpaid': {
      const invoice = state.invoices[condition.invoiceId];
      return invoice !== undefined && invoice.paid < invoice.amount;
    }
  }
}
