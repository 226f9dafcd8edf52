import type { AccountCommand } from './account.commands';
import {
  AccountAlreadyExistsError,
  AccountClosedError,
  AccountNotFoundError,
  InvalidCommandError,
  RuleViolationError,
} from './domain.errors';
import {
  A_BUSY_ACCOUNT,
  A_COMMAND_OF_EACH_TYPE,
  accountClosed,
  accountOpened,
  CONTRACT,
  event,
} from './testing/account-fixtures';
import { given, HISTORY_STARTS_AT } from './testing/decider-specification';

const openAccount = (data: Partial<Extract<AccountCommand, { type: 'OpenAccount' }>['data']> = {}): AccountCommand => ({
  type: 'OpenAccount',
  data: { accountId: 'acme', name: 'Acme Corp', segment: 'enterprise', managerId: 'mgr-ada', currency: 'EUR', ...data },
});

const EVERY_COMMAND = Object.values(A_COMMAND_OF_EACH_TYPE).map((command) => [command.type, command] as const);
const EVERY_COMMAND_BUT_OPEN = EVERY_COMMAND.filter(([type]) => type !== 'OpenAccount');

describe('OpenAccount', () => {
  it('opens an account with a contract; the account id stays out of the payload', () => {
    given([])
      .when(openAccount({ contract: { ...CONTRACT } }))
      .then([
        {
          type: 'AccountOpened',
          data: { name: 'Acme Corp', segment: 'enterprise', managerId: 'mgr-ada', currency: 'EUR', contract: CONTRACT },
        },
      ]);
  });

  it('opens an account billed without a contract', () => {
    given([])
      .when(openAccount())
      .then([{ type: 'AccountOpened', data: { name: 'Acme Corp', segment: 'enterprise', managerId: 'mgr-ada', currency: 'EUR' } }]);
  });

  it('refuses to open an account twice (409)', () => {
    given([accountOpened()])
      .when(openAccount())
      .thenThrows(AccountAlreadyExistsError, { code: 'ACCOUNT_ALREADY_EXISTS', status: 409 });
  });

  it('refuses to reopen a closed account (409)', () => {
    given([accountOpened(), accountClosed()])
      .when(openAccount())
      .thenThrows(AccountAlreadyExistsError, { status: 409 });
  });

  it.each([
    [{ accountId: 'acme:1' }, 'accountId'],
    [{ currency: 'eur' }, 'currency'],
    [{ name: '  ' }, 'name'],
    [{ managerId: '' }, 'managerId'],
    [{ contract: { startsOn: '2025-12-31', endsOn: '2025-01-01', annualValue: 1 } }, 'contract.endsOn'],
    [{ contract: { ...CONTRACT, annualValue: -1 } }, 'contract.annualValue'],
    [{ contract: { ...CONTRACT, annualValue: 10.5 } }, 'contract.annualValue'],
  ])('refuses %p naming the field %s (400)', (patch, field) => {
    given([]).when(openAccount(patch)).thenThrows(InvalidCommandError, { status: 400, field });
  });

  it('refuses a field the event does not know (400)', () => {
    const command = openAccount({ ...({ tier: 'gold' } as object) });
    given([]).when(command).thenThrows(InvalidCommandError, { field: 'tier', code: 'INVALID_FIELD' });
  });
});

describe('any command on an account that does not exist', () => {
  it.each(EVERY_COMMAND_BUT_OPEN)('%s is refused (404)', (_type, command) => {
    given([]).when(command).thenThrows(AccountNotFoundError, { code: 'ACCOUNT_NOT_FOUND', status: 404 });
  });

  it('names the account when the caller says which it is', () => {
    const error = given([])
      .when(A_COMMAND_OF_EACH_TYPE.LogContact, { accountId: 'acme' })
      .thenThrows(AccountNotFoundError);
    expect(error.message).toBe('Account acme does not exist');
  });
});

describe('any command on a closed account', () => {
  it.each(EVERY_COMMAND.filter(([type]) => type !== 'ResolveEscalation'))('%s is refused (409)', (_type, command) => {
    const expected = command.type === 'OpenAccount' ? AccountAlreadyExistsError : AccountClosedError;
    given([...A_BUSY_ACCOUNT, accountClosed()]).when(command).thenThrows(expected, { status: 409 });
  });

  it('but its open escalations can still be resolved: closing an account winds them down', () => {
    given([...A_BUSY_ACCOUNT, accountClosed()])
      .when(A_COMMAND_OF_EACH_TYPE.ResolveEscalation)
      .then([{ type: 'EscalationResolved', data: { escalationId: 'esc-1', resolution: 'Handled' } }]);
  });

  it.each(EVERY_COMMAND_BUT_OPEN)('%s is accepted while the account is open', (_type, command) => {
    given(A_BUSY_ACCOUNT).when(command).then([expect.objectContaining({ data: expect.any(Object) })]);
  });
});

describe('CloseAccount', () => {
  it('closes the account', () => {
    given([accountOpened()])
      .when({ type: 'CloseAccount', data: { reason: 'Churned' } })
      .then([{ type: 'AccountClosed', data: { reason: 'Churned' } }]);
  });

  it('needs a reason (400)', () => {
    given([accountOpened()])
      .when({ type: 'CloseAccount', data: { reason: '' } })
      .thenThrows(InvalidCommandError, { field: 'reason' });
  });
});

describe('AssignManager', () => {
  it('moves the account to a new manager, naming the one it replaces', () => {
    given([accountOpened()])
      .when({ type: 'AssignManager', data: { managerId: 'mgr-grace' } })
      .then([{ type: 'AccountManagerAssigned', data: { managerId: 'mgr-grace', previousManagerId: 'mgr-ada' } }]);
  });

  it('follows earlier reassignments', () => {
    given([accountOpened(), event('AccountManagerAssigned', { managerId: 'mgr-grace' })])
      .when({ type: 'AssignManager', data: { managerId: 'mgr-linus' } })
      .then([{ type: 'AccountManagerAssigned', data: { managerId: 'mgr-linus', previousManagerId: 'mgr-grace' } }]);
  });

  it('refuses to assign the manager who already owns the account (409)', () => {
    given([accountOpened()])
      .when({ type: 'AssignManager', data: { managerId: 'mgr-ada' } })
      .thenThrows(RuleViolationError, { code: 'MANAGER_ALREADY_ASSIGNED', field: 'managerId' });
  });

  it('refuses a malformed manager id (400)', () => {
    given([accountOpened()])
      .when({ type: 'AssignManager', data: { managerId: 'Ada Lovelace' } })
      .thenThrows(InvalidCommandError, { field: 'managerId' });
  });

  it('refuses an imported reassignment that names the wrong previous manager (409)', () => {
    given([accountOpened()])
      .whenImported({ type: 'AccountManagerAssigned', data: { managerId: 'mgr-linus', previousManagerId: 'mgr-grace' } })
      .thenThrows(RuleViolationError, { code: 'PREVIOUS_MANAGER_MISMATCH', field: 'previousManagerId' });
  });
});

describe('time on the account', () => {
  it('refuses a change back-dated before the account was opened (409)', () => {
    given([accountOpened()])
      .when(A_COMMAND_OF_EACH_TYPE.LogContact, { occurredAt: '2024-12-31T23:59:59Z' })
      .thenThrows(RuleViolationError, { code: 'OCCURRED_BEFORE_ACCOUNT_OPENED', field: 'occurredAt' });
  });

  it('accepts a change at the very instant the account was opened', () => {
    given([accountOpened()])
      .when(A_COMMAND_OF_EACH_TYPE.LogContact, { occurredAt: HISTORY_STARTS_AT })
      .then([{ type: 'ContactLogged', data: A_COMMAND_OF_EACH_TYPE.LogContact.data }]);
  });
});
