import { decide } from './account.decider';
import { calendarDateOf, compareInstants, utcTimestampOf } from './command-context.policy';
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

describe('timestamps', () => {
  it.each([
    ['2025-06-01T12:00:00.000Z', '2025-06-01T12:00:00.001Z', -1],
    ['2025-06-01T12:00:00.000Z', '2025-06-01T12:00:00.000Z', 0],
    ['2025-06-01T12:00:00Z', '2025-06-01T12:00:00.5Z', -1],
    ['2025-06-01T12:00:00.500Z', '2025-06-01T12:00:00.5Z', 0],
    ['2025-06-01T14:00:00+02:00', '2025-06-01T11:59:59.999Z', 1],
  ])('compareInstants(%p, %p) has the sign %p, in toISOString form or any other', (a, b, sign) => {
    expect(Math.sign(compareInstants(a, b))).toBe(sign);
    expect(Math.sign(compareInstants(b, a))).toBe(-sign || 0);
  });

  it('compares nothing with a timestamp that is no instant', () => {
    expect(compareInstants('yesterday', '2025-06-01T12:00:00.000Z')).toBeNaN();
  });

  it.each(['2025-06-01T12:00:00.000Z', '2025-06-01T12:00:00Z', '2025-06-01T12:00:00.5Z', '2025-06-01T14:00:00+02:00', '0000-01-01T00:30:00+01:00'])(
    'utcTimestampOf(%p) is what toISOString writes, and its date the UTC calendar date',
    (timestamp) => {
      const iso = new Date(timestamp).toISOString();
      expect(utcTimestampOf(timestamp)).toBe(iso);
      expect(calendarDateOf(timestamp)).toBe(iso.slice(0, 10));
    },
  );
});
