import { DatabaseTimeoutError } from '@ahe/database';
import { FencedOutError, isParkable, isTransientDatabaseError } from './runner-errors';

const withCode = (message: string, code?: string) => Object.assign(new Error(message), code === undefined ? {} : { code });

describe('isTransientDatabaseError', () => {
  it.each([
    ['a connection that did not open in time', new DatabaseTimeoutError('connect', 10_000)],
    ['a pool whose connections stayed busy', new DatabaseTimeoutError('pool', 10_000, { poolSize: 10 })],
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a deadlock', withCode('deadlock detected', '40P01')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['a server shutting down', withCode('terminating connection due to administrator command', '57P01')],
    ['a socket closed by the server', withCode('Connection terminated unexpectedly')],
  ])('is true for %s, which is retried rather than parked', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(isParkable(error)).toBe(false);
  });

  it.each([
    ['a check constraint', withCode('new row violates check constraint', '23514')],
    ['a projection bug', new TypeError("Cannot read properties of undefined (reading 'at')")],
  ])('is false for %s, which is parked', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
    expect(isParkable(error)).toBe(true);
  });

  it('never parks an event for a generation fenced out', () => {
    expect(isParkable(new FencedOutError('account_health', 3))).toBe(false);
  });
});
