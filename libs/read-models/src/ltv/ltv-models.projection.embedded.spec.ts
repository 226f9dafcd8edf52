import { IN_MEMORY, openDatabase } from '@ahe/database';
import { describeLtvCustomers } from './ltv-models.customers.contract';
import { describeLtvFits } from './ltv-models.fits.contract';
import { ltvHarness } from './ltv-models.projection-harness.contract';

describe('ltv_models read model on the embedded PGlite', () => {
  const harness = ltvHarness(() => openDatabase({ kind: 'embedded', dataDir: IN_MEMORY }));
  afterAll(async () => {
    await harness.store().close();
    await harness.sql().close();
  });

  describeLtvCustomers(harness);
  describeLtvFits(harness);
});
