import { describeLtvCustomers } from './ltv-models.customers.contract';
import { describeLtvFits } from './ltv-models.fits.contract';
import type { ltvHarness } from './ltv-models.projection-harness.contract';

export { ltvHarness, refitTicks, type LtvHarness } from './ltv-models.projection-harness.contract';

/** The projection's contract, run on each store: its two tables, each a group of its own. */
export function describeLtvModelsProjection(harness: ReturnType<typeof ltvHarness>): void {
  describeLtvCustomers(harness);
  describeLtvFits(harness);
}
