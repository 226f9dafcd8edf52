import { decide } from './account.decider';
import { InvalidCommandError } from './domain.errors';
import { A_COMMAND_OF_EACH_TYPE, accountOpened } from './testing/account-fixtures';
import { foldGiven, given, SPEC_NOW } from './testing/decider-specification';

const logContact = A_COMMAND_OF_EACH_TYPE.LogContact;
const contactLogged = [{ type: 'ContactLogged', data: logContact.data }] as const;

describe('occurredAt', () => {
  it('defaults to now at the caller, and now is accepted', () => {
    given([accountOpened()]).when(logContact, { now: SPEC_NOW, occurredAt: SPEC_NOW }).then(contactLogged);
  });

  it('may be back-dated: a call logged the next day', () => {
    given([accountOpened()]).when(logContact, { occurredAt: '2025-05-31T16:00:00Z' }).then(contactLogged);
  });

  it('must not be in the future (400)', () => {
    const error = given([accountOpened()])
      .when(logContact, { now: SPEC_NOW, occurredAt: '2025-06-01T12:00:00.001Z' })
      .thenThrows(InvalidCommandError, { status: 400, code: 'OCCURRED_IN_FUTURE', field: 'occurredAt' });
    expect(error.message).toMatch(/^occurredAt must not be in the future/);
  });

  it('compares instants, not strings ("…00Z" is later than "…00.5Z" as text)', () => {
    given([accountOpened()])
      .when(logContact, { now: '2025-06-01T12:00:00.5Z', occurredAt: '2025-06-01T12:00:00Z' })
      .then(contactLogged);
  });

  it.each(['2025-06-01T12:00:00', '2025-06-01T14:00:00+02:00', '2025-06-01', 'yesterday', ''])(
    'refuses %p: only ISO 8601 UTC timestamps (400)',
    (occurredAt) => {
      given([accountOpened()])
        .when(logContact, { occurredAt })
        .thenThrows(InvalidCommandError, { code: 'INVALID_OCCURRED_AT', field: 'occurredAt' });
    },
  );

  it('is checked before anything else, even on an account that does not exist', () => {
    given([])
      .when(logContact, { occurredAt: '2030-01-01T00:00:00Z' })
      .thenThrows(InvalidCommandError, { field: 'occurredAt' });
  });
});

describe('now', () => {
  it('is the caller\'s clock: a malformed one is a bug, not bad input', () => {
    const state = foldGiven([accountOpened()]);
    expect(() => decide(logContact, state, { now: 'now', occurredAt: SPEC_NOW })).toThrow(RangeError);
  });
});
