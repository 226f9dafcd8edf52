import { WriteDeadlockError, WrongExpectedRevisionError } from '@ahe/event-store';
import { ImportConflictError } from './import.errors';

describe('ImportConflictError', () => {
  it('says once that nothing was stored when PostgreSQL broke a deadlock, and that the import may be retried', () => {
    const error = new ImportConflictError(null, { events: 0, accounts: 0 }, new WriteDeadlockError());
    expect(error.message).toBe(
      'another write held accounts this import needed while it waited for accounts the import held, and PostgreSQL ended the import to break the deadlock; nothing was stored; it may be retried',
    );
    expect(error.message.match(/nothing was stored/g)).toHaveLength(1);
    expect(error.toDetails()).toEqual({ code: 'IMPORT_CONFLICT', streamId: null, appended: { events: 0, accounts: 0 } });
  });

  it('names the account that changed, and what was appended before the conflict', () => {
    const cause = new WrongExpectedRevisionError('account-a', 'any', 3);
    expect(new ImportConflictError('account-a', { events: 0, accounts: 0 }, cause).message).toBe(`account-a changed while the import was running (${cause.message}); nothing was stored`);
    expect(new ImportConflictError('account-a', { events: 12, accounts: 2 }, cause).message)
      .toBe(`account-a changed while the import was running (${cause.message}); 12 event(s) of 2 account(s) were appended before the conflict`);
  });
});
