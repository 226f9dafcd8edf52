import type { ComplaintRaised, ComplaintResolved } from '@ahe/events';
import type { CommandContext } from './account.commands';
import { isComplaintResolved, openComplaintOf, type AnyAccountState } from './account-collections';
import { compareInstants } from './command-context.policy';
import { InvalidCommandError, RuleViolationError } from './domain.errors';

const isKnownComplaint = (state: AnyAccountState, complaintId: string): boolean =>
  openComplaintOf(state, complaintId) !== undefined || isComplaintResolved(state, complaintId);

/** A complaint id names one complaint for the life of the account; its SLA ends after it is raised. */
export function assertComplaintCanBeRaised(
  state: AnyAccountState,
  complaint: ComplaintRaised,
  context: CommandContext,
): void {
  if (compareInstants(complaint.slaDueAt, context.occurredAt) <= 0) {
    throw new InvalidCommandError(`slaDueAt must be after occurredAt (${context.occurredAt})`, {
      code: 'SLA_NOT_AFTER_RAISED',
      field: 'slaDueAt',
    });
  }
  if (isKnownComplaint(state, complaint.complaintId)) {
    throw new RuleViolationError('COMPLAINT_ALREADY_EXISTS', `complaint ${complaint.complaintId} already exists`, {
      field: 'complaintId',
    });
  }
}

/** Only an open complaint can be resolved, and not before it was raised. */
export function assertComplaintCanBeResolved(
  state: AnyAccountState,
  resolution: ComplaintResolved,
  context: CommandContext,
): void {
  const { complaintId } = resolution;
  if (isComplaintResolved(state, complaintId)) {
    throw new RuleViolationError('COMPLAINT_ALREADY_RESOLVED', `complaint ${complaintId} is already resolved`, {
      field: 'complaintId',
    });
  }
  const complaint = openComplaintOf(state, complaintId);
  if (complaint === undefined) {
    throw new RuleViolationError('UNKNOWN_COMPLAINT', `complaint ${complaintId} does not exist on this account`, {
      field: 'complaintId',
    });
  }
  if (compareInstants(context.occurredAt, complaint.raisedAt) < 0) {
    throw new RuleViolationError(
      'RESOLVED_BEFORE_RAISED',
      `occurredAt must not be before complaint ${complaintId} was raised (${complaint.raisedAt})`,
      { field: 'occurredAt', details: { raisedAt: complaint.raisedAt } },
    );
  }
}
