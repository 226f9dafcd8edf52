import type { AccountEvent, AccountManagerAssigned } from '@ahe/events';
import type { CommandContext } from './account.commands';
import type { AnyAccountState } from './account-collections';
import { compareInstants } from './command-context.policy';
import {
  AccountAlreadyExistsError,
  AccountClosedError,
  AccountNotFoundError,
  RuleViolationError,
} from './domain.errors';

/**
 * Only AccountOpened starts a stream, and only once; a closed account takes nothing more but
 * the resolution of its escalations (closing an account winds them down); nothing on an
 * account happens before it was opened.
 */
export function assertAccountLifecycle(state: AnyAccountState, event: AccountEvent, context: CommandContext): void {
  if (event.type === 'AccountOpened') {
    if (state.exists) throw new AccountAlreadyExistsError(context.accountId);
    return;
  }
  if (!state.exists) throw new AccountNotFoundError(context.accountId);
  if (state.closed && event.type !== 'EscalationResolved') throw new AccountClosedError(context.accountId);
  if (state.openedAt !== null && compareInstants(context.occurredAt, state.openedAt) < 0) {
    throw new RuleViolationError(
      'OCCURRED_BEFORE_ACCOUNT_OPENED',
      `occurredAt must not be before the account was opened (${state.openedAt})`,
      { field: 'occurredAt', details: { openedAt: state.openedAt } },
    );
  }
}

/** A reassignment changes the owner, and names the owner it replaces correctly. */
export function assertManagerChange(state: AnyAccountState, assignment: AccountManagerAssigned): void {
  if (assignment.managerId === state.managerId) {
    throw new RuleViolationError(
      'MANAGER_ALREADY_ASSIGNED',
      `managerId ${assignment.managerId} already manages this account`,
      { field: 'managerId' },
    );
  }
  if (assignment.previousManagerId !== undefined && assignment.previousManagerId !== state.managerId) {
    throw new RuleViolationError(
      'PREVIOUS_MANAGER_MISMATCH',
      `previousManagerId must be the current manager ${state.managerId ?? '(none)'}`,
      { field: 'previousManagerId', details: { managerId: state.managerId } },
    );
  }
}
