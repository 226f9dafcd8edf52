import { accountIdOfStream, accountStreamId } from './account.stream';

describe('account streams', () => {
  it('names the stream of an account account-<accountId>', () => {
    expect(accountStreamId('acme_42')).toBe('account-acme_42');
  });

  it('reads the account id back from its stream, and nothing from another stream', () => {
    expect(accountIdOfStream(accountStreamId('account-7'))).toBe('account-7');
    expect(accountIdOfStream('account-')).toBeNull();
    expect(accountIdOfStream('$projections-health')).toBeNull();
  });
});
