import { appendContract } from './append.contract';
import { badInputContract } from './bad-input.contract';
import { concurrencyContract } from './concurrency.contract';
import type { ContractHarness } from './harness.contract';
import { integrityContract } from './integrity.contract';
import { readContract } from './read.contract';
import { subscriptionContract } from './subscription.contract';

export type { ContractHarness, OpenOptions } from './harness.contract';

/** The one suite every EventStore adapter must pass. */
export function describeEventStoreContract(name: string, harness: ContractHarness): void {
  describe(`EventStore contract: ${name}`, () => {
    appendContract(harness);
    badInputContract(harness);
    readContract(harness);
    subscriptionContract(harness);
    integrityContract(harness);
    concurrencyContract(harness);
  });
}
