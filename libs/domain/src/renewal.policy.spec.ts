import type { AccountCommand } from './account.commands';
import { InvalidCommandError, RuleViolationError } from './domain.errors';
import { accountOpened, event } from './testing/account-fixtures';
import { given } from './testing/decider-specification';

const renewalWon = (endsOn = '2026-12-31', annualValue = 13_000_000): AccountCommand => ({
  type: 'RecordRenewal',
  data: { outcome: 'won', endsOn, annualValue },
});
const renewalLost: AccountCommand = { type: 'RecordRenewal', data: { outcome: 'lost', reason: 'Budget cut' } };
const lost = event('RenewalLost', { reason: 'Budget cut' });

describe('RecordRenewal won', () => {
  it('renews the contract to a later end date', () => {
    given([accountOpened()])
      .when(renewalWon())
      .then([{ type: 'RenewalWon', data: { endsOn: '2026-12-31', annualValue: 13_000_000 } }]);
  });

  it('accepts a free contract (annual value 0)', () => {
    given([accountOpened()])
      .when(renewalWon('2026-12-31', 0))
      .then([{ type: 'RenewalWon', data: { endsOn: '2026-12-31', annualValue: 0 } }]);
  });

  it("renews for a year at the contract's value when the command says no more, and 29 February to 28 February", () => {
    given([accountOpened()])
      .when({ type: 'RecordRenewal', data: { outcome: 'won' } })
      .then([{ type: 'RenewalWon', data: { endsOn: '2026-12-31', annualValue: 12_000_000 } }]);
    given([accountOpened(), event('RenewalWon', { endsOn: '2028-02-29', annualValue: 5 })])
      .when({ type: 'RecordRenewal', data: { outcome: 'won', annualValue: 7 } })
      .then([{ type: 'RenewalWon', data: { endsOn: '2029-02-28', annualValue: 7 } }]);
  });

  it('wins back a renewal recorded as lost', () => {
    given([accountOpened(), lost])
      .when(renewalWon())
      .then([{ type: 'RenewalWon', data: { endsOn: '2026-12-31', annualValue: 13_000_000 } }]);
  });

  it('measures the next renewal against the renewed contract', () => {
    given([accountOpened(), event('RenewalWon', { endsOn: '2026-12-31', annualValue: 1 })])
      .when(renewalWon('2026-06-30'))
      .thenThrows(RuleViolationError, { code: 'RENEWAL_MUST_EXTEND_CONTRACT' });
  });

  it.each(['2025-12-31', '2025-06-30'])('refuses endsOn %p, not after the contract\'s end (409)', (endsOn) => {
    given([accountOpened()])
      .when(renewalWon(endsOn))
      .thenThrows(RuleViolationError, { code: 'RENEWAL_MUST_EXTEND_CONTRACT', field: 'endsOn', status: 409 });
  });

  it('refuses a renewal of an account without a contract (409)', () => {
    given([accountOpened({ contract: undefined })])
      .when(renewalWon())
      .thenThrows(RuleViolationError, { code: 'NO_CONTRACT', status: 409 });
  });

  it.each([
    [{ outcome: 'won', endsOn: '2026-12-31', annualValue: null }, 'annualValue'],
    [{ outcome: 'won', endsOn: '31/12/2026', annualValue: 1 }, 'endsOn'],
    [{ outcome: 'won', endsOn: '2026-12-31', annualValue: -1 }, 'annualValue'],
    [{ outcome: 'won', endsOn: '2026-12-31', annualValue: 1, reason: 'why' }, 'reason'],
    [{ outcome: 'extended', endsOn: '2026-12-31', annualValue: 1 }, 'outcome'],
    [{ endsOn: '2026-12-31', annualValue: 1 }, 'outcome'],
  ])('refuses %p naming %s (400)', (data, field) => {
    given([accountOpened()])
      .when({ type: 'RecordRenewal', data } as unknown as AccountCommand)
      .thenThrows(InvalidCommandError, { field, status: 400 });
  });
});

describe('RecordRenewal lost', () => {
  it('records that the contract will not be renewed', () => {
    given([accountOpened()]).when(renewalLost).then([{ type: 'RenewalLost', data: { reason: 'Budget cut' } }]);
  });

  it('may follow a won renewal: the renewed contract can be lost in turn', () => {
    given([accountOpened(), event('RenewalWon', { endsOn: '2026-12-31', annualValue: 1 })])
      .when(renewalLost)
      .then([{ type: 'RenewalLost', data: { reason: 'Budget cut' } }]);
  });

  it('refuses to record the same loss twice (409)', () => {
    given([accountOpened(), lost])
      .when(renewalLost)
      .thenThrows(RuleViolationError, { code: 'RENEWAL_ALREADY_LOST', status: 409 });
  });

  it('refuses a renewal of an account without a contract (409)', () => {
    given([accountOpened({ contract: undefined })])
      .when(renewalLost)
      .thenThrows(RuleViolationError, { code: 'NO_CONTRACT' });
    given([accountOpened({ contract: undefined })])
      .when({ type: 'RecordRenewal', data: { outcome: 'won' } })
      .thenThrows(RuleViolationError, { code: 'NO_CONTRACT', status: 409 });
  });

  it('records "No reason given" when the command gives none', () => {
    given([accountOpened()])
      .when({ type: 'RecordRenewal', data: { outcome: 'lost' } })
      .then([{ type: 'RenewalLost', data: { reason: 'No reason given' } }]);
  });

  it('needs a reason that is not blank when one is given (400)', () => {
    given([accountOpened()])
      .when({ type: 'RecordRenewal', data: { outcome: 'lost', reason: '' } })
      .thenThrows(InvalidCommandError, { field: 'reason' });
  });
});
