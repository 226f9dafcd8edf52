import { deterministicUuid, DomainError, type AccountCommand, type AccountState } from '@ahe/domain';
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

type EscalationJobData = OpenEscalationJob | ResolveEscalationJob;

/** Rejections that mean "already done": a redelivered job, or the open that lost to the resolution. */
const ALREADY_DONE = new Set(['ESCALATION_ALREADY_EXISTS', 'ESCALATION_ALREADY_RESOLVED', 'ESCALATION_ALREADY_ACKNOWLEDGED', 'UNKNOWN_ESCALATION']);

/** Thrown by a guard to give up an append whose reason is gone; never leaves the handler. */
class NothingToDo extends Error {
  constructor(readonly outcome: 'cancelled' | 'duplicate') {
    super(outcome);
  }
}

/**
 * Runs the jobs of the `escalations` queue through the account's decider, with an event id
 * derived from the escalation, so a job run twice appends once. An open job's condition (the
 * complaint still open, the invoice still unpaid) is checked on the very state the append is
 * decided on, so an SLA timer of a resolved complaint opens nothing even when the resolution
 * lands while the job runs. Store outages throw and are retried; a command the domain refuses
 * for another reason cannot succeed on retry and goes to the dead-letter queue.
 */
export function escalationCommandHandler(options: EscalationCommandHandlerOptions): JobHandler {
  return async ({ job }) => {
    const data = job.data as EscalationJobData;
    const outcome = await run(options, data);
    options.onOutcome?.(data, outcome);
  };
}

function run(options: EscalationCommandHandlerOptions, job: EscalationJobData): Promise<JobOutcome> {
  if (job.kind === 'open') {
    const { escalationId } = job.escalation;
    return append(options, job, { type: 'OpenEscalation', data: job.escalation }, escalationId, 'opened', (state) => {
      if (state.escalations[escalationId] !== undefined) throw new NothingToDo('duplicate');
      if (!conditionHolds(state, job.condition)) throw new NothingToDo('cancelled');
    });
  }
  const resolution = { escalationId: job.escalationId, resolution: job.resolution };
  return append(options, job, { type: 'ResolveEscalation', data: resolution }, job.escalationId, 'resolved', (state) => {
    if (state.escalations[job.escalationId]?.status !== 'open' && state.escalations[job.escalationId]?.status !== 'acknowledged') {
      throw new NothingToDo('duplicate');
    }
  });
}

async function append(
  options: EscalationCommandHandlerOptions,
  job: EscalationJobData,
  command: AccountCommand,
  escalationId: string,
  outcome: 'opened' | 'resolved',
  guard: (state: AccountState) => void,
): Promise<JobOutcome> {
  try {
    await runAccountCommand(
      options.store,
      job.accountId,
      command,
      {
        metadata: {
          actor: ESCALATIONS_ACTOR,
          ...(job.correlationId ? { correlationId: job.correlationId } : {}),
          causationId: job.kind === 'open' ? job.escalation.triggeringEventId : escalationId,
        },
        eventIdOf: (index) => deterministicUuid('escalation-event', escalationId, outcome, String(index)),
        guard,
      },
      options.now,
    );
    return outcome;
  } catch (error) {
    if (error instanceof NothingToDo) return error.outcome;
    if (error instanceof DuplicateEventIdError) return 'duplicate';
    if (error instanceof DomainError && ALREADY_DONE.has(error.code)) return 'duplicate';
    if (error instanceof DomainError) throw new PermanentJobError(`${error.code}: ${error.message}`);
    throw error;
  }
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
