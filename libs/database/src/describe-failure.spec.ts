import { describeFailure, isConnectionFailure } from './describe-failure';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('describeFailure', () => {
  it("gives the error's message, and for an AggregateError without one the messages it gathers, once each", () => {
    expect(describeFailure(new Error('relation "x" does not exist'))).toBe('relation "x" does not exist');
    const refused = new AggregateError([coded('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')], '');
    expect(describeFailure(refused)).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
    expect(describeFailure(Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(describeFailure('plain text')).toBe('plain text');
  });

  it('tells a connection that did not open from other failures', () => {
    expect(isConnectionFailure(new AggregateError([coded('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''))).toBe(true);
    expect(isConnectionFailure(coded('password authentication failed for user "x"', '28P01'))).toBe(true);
    expect(isConnectionFailure(coded('duplicate key value', '23505'))).toBe(false);
    expect(isConnectionFailure(new Error('boom'))).toBe(false);
  });
});
