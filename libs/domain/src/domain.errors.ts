import type { EventIssue } from '@ahe/events';

/**
 * A command or an imported event the domain refuses. `status` is the HTTP status the API
 * answers with; `code` is stable for clients and tests; `field` names the offending input.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: 400 | 404 | 409;
  readonly field?: string;
  readonly details?: unknown;

  constructor(message: string, options: { readonly field?: string; readonly details?: unknown } = {}) {
    super(message);
    if (options.field !== undefined) this.field = options.field;
    if (options.details !== undefined) this.details = options.details;
  }
}

export class AccountNotFoundError extends DomainError {
  override readonly name = 'AccountNotFoundError';
  readonly code = 'ACCOUNT_NOT_FOUND';
  readonly status = 404;

  constructor(readonly accountId?: string) {
    super(accountId === undefined ? 'The account does not exist' : `Account ${accountId} does not exist`);
  }
}

export class AccountAlreadyExistsError extends DomainError {
  override readonly name = 'AccountAlreadyExistsError';
  readonly code = 'ACCOUNT_ALREADY_EXISTS';
  readonly status = 409;

  constructor(readonly accountId?: string) {
    super(accountId === undefined ? 'The account already exists' : `Account ${accountId} already exists`, {
      field: 'accountId',
    });
  }
}

/** A closed account is history: it can be read, never changed. */
export class AccountClosedError extends DomainError {
  override readonly name = 'AccountClosedError';
  readonly code = 'ACCOUNT_CLOSED';
  readonly status = 409;

  constructor(readonly accountId?: string) {
    super(
      accountId === undefined
        ? 'The account is closed; it can no longer be changed'
        : `Account ${accountId} is closed; it can no longer be changed`,
    );
  }
}

export const RULE_VIOLATION_CODES = [
  'OCCURRED_BEFORE_ACCOUNT_OPENED',
  'MANAGER_ALREADY_ASSIGNED',
  'PREVIOUS_MANAGER_MISMATCH',
  'COMPLAINT_ALREADY_EXISTS',
  'UNKNOWN_COMPLAINT',
  'COMPLAINT_ALREADY_RESOLVED',
  'RESOLVED_BEFORE_RAISED',
  'INVOICE_ALREADY_EXISTS',
  'UNKNOWN_INVOICE',
  'INVOICE_ALREADY_PAID',
  'OVERPAYMENT',
  'NO_CONTRACT',
  'RENEWAL_MUST_EXTEND_CONTRACT',
  'RENEWAL_ALREADY_LOST',
  'ESCALATION_ALREADY_EXISTS',
  'UNKNOWN_ESCALATION',
  'ESCALATION_ALREADY_ACKNOWLEDGED',
  'ESCALATION_ALREADY_RESOLVED',
] as const;
export type RuleViolationCode = (typeof RULE_VIOLATION_CODES)[number];

/** A business rule that the account's current state forbids breaking. */
export class RuleViolationError extends DomainError {
  override readonly name = 'RuleViolationError';
  readonly status = 409;

  constructor(
    readonly code: RuleViolationCode,
    message: string,
    options: { readonly field?: string; readonly details?: unknown } = {},
  ) {
    super(message, options);
  }
}

export const INVALID_COMMAND_CODES = [
  'INVALID_FIELD',
  'INVALID_OCCURRED_AT',
  'OCCURRED_IN_FUTURE',
  'SLA_NOT_AFTER_RAISED',
  'DUE_BEFORE_ISSUED',
] as const;
export type InvalidCommandCode = (typeof INVALID_COMMAND_CODES)[number];

/** Input that is wrong whatever the account's state; `field` names it. */
export class InvalidCommandError extends DomainError {
  override readonly name = 'InvalidCommandError';
  readonly status = 400;
  readonly code: InvalidCommandCode;
  declare readonly field: string;

  constructor(
    message: string,
    options: { readonly code?: InvalidCommandCode; readonly field: string; readonly details?: unknown },
  ) {
    super(message, options);
    this.code = options.code ?? 'INVALID_FIELD';
  }

  /** Every schema issue goes in `details`; the first names the field. */
  static fromIssues(issues: readonly EventIssue[]): InvalidCommandError {
    const first = issues[0] ?? { path: '', message: 'data is invalid' };
    return new InvalidCommandError(issues.map((issue) => issue.message).join('; ') || first.message, {
      field: first.path === '' ? 'data' : first.path,
      details: { issues },
    });
  }
}
