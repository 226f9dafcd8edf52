import { appendContract } from './append.contract';
import { concurrencyContract } from './concurrency.contract';
import type { ContractHarness } from './harness.contract';
import { integrityContract } from './integrity.contract';
import { readContract } from './read.contract';

export type { ContractHarness } from './harness.contract';

/** The one suite every EventStore adapter must pass. */
export function describeEventStoreContract(name: string, harness: ContractHarness): void {
  describe(`EventStore contract: ${name}`, () => {
    appendContract(harness);
    readContract(harness);
    integrityContract(harness);
    concurrencyContract(harness);
  });
}
