import { IN_MEMORY, openDatabase } from '@ahe/database';
import { describeLtvModelsProjection, ltvHarness } from './ltv-models.projection.contract';

describe('ltv_models read model on the embedded PGlite', () => {
  const harness = ltvHarness(() => openDatabase({ kind: 'embedded', dataDir: IN_MEMORY }));
  afterAll(async () => {
    await harness.store().close();
    await harness.sql().close();
  });

  describeLtvModelsProjection(harness);
});
