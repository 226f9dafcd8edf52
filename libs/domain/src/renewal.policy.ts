import type { Contract, RenewalWon } from '@ahe/events';
import type { AnyAccountState } from './account-collections';
import { RuleViolationError } from './domain.errors';

export const noContractToRenew = (): RuleViolationError => new RuleViolationError('NO_CONTRACT', 'the account has no contract to renew');

function contractOf(state: AnyAccountState): Contract {
  if (state.contract === null) throw noContractToRenew();
  return state.contract;
}

/**
 * A won renewal extends the contract: its end date moves past the current one. A lost
 * renewal may still be won back.
 */
export function assertRenewalCanBeWon(state: AnyAccountState, renewal: RenewalWon): void {
  const contract = contractOf(state);
  if (renewal.endsOn <= contract.endsOn) {
    throw new RuleViolationError(
      'RENEWAL_MUST_EXTEND_CONTRACT',
      `endsOn must be after the current contract's end (${contract.endsOn})`,
      { field: 'endsOn', details: { contractEndsOn: contract.endsOn } },
    );
  }
}

/** A contract is lost once; recording it again would count the churn twice. */
export function assertRenewalCanBeLost(state: AnyAccountState): void {
  contractOf(state);
  if (state.renewalStatus === 'lost') {
    throw new RuleViolationError('RENEWAL_ALREADY_LOST', 'the renewal of this contract is already recorded as lost');
  }
}
