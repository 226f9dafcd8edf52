import type { EscalationAcknowledged, EscalationOpened, EscalationResolved } from '@ahe/events';
import { escalationOf, type AnyAccountState } from './account-collections';
import type { EscalationState } from './account.state';
import { RuleViolationError } from './domain.errors';

function knownEscalation(state: AnyAccountState, escalationId: string): EscalationState {
  const escalation = escalationOf(state, escalationId);
  if (escalation === undefined) {
    throw new RuleViolationError('UNKNOWN_ESCALATION', `escalation ${escalationId} does not exist on this account`, {
      field: 'escalationId',
    });
  }
  return escalation;
}

function assertNotResolved(escalation: EscalationState, escalationId: string): void {
  if (escalation.status === 'resolved') {
    throw new RuleViolationError('ESCALATION_ALREADY_RESOLVED', `escalation ${escalationId} is already resolved`, {
      field: 'escalationId',
    });
  }
}

/** The process manager derives escalation ids deterministically: a second open is a replay. */
export function assertEscalationCanBeOpened(state: AnyAccountState, escalation: EscalationOpened): void {
  if (escalationOf(state, escalation.escalationId) !== undefined) {
    throw new RuleViolationError(
      'ESCALATION_ALREADY_EXISTS',
      `escalation ${escalation.escalationId} already exists`,
      { field: 'escalationId' },
    );
  }
}

/** Open → acknowledged, once. */
export function assertEscalationCanBeAcknowledged(state: AnyAccountState, acknowledgement: EscalationAcknowledged): void {
  const escalation = knownEscalation(state, acknowledgement.escalationId);
  assertNotResolved(escalation, acknowledgement.escalationId);
  if (escalation.status === 'acknowledged') {
    throw new RuleViolationError(
      'ESCALATION_ALREADY_ACKNOWLEDGED',
      `escalation ${acknowledgement.escalationId} is already acknowledged`,
      { field: 'escalationId' },
    );
  }
}

/** Open or acknowledged → resolved, once; the cause may go away before anyone acknowledges. */
export function assertEscalationCanBeResolved(state: AnyAccountState, resolution: EscalationResolved): void {
  assertNotResolved(knownEscalation(state, resolution.escalationId), resolution.escalationId);
}
