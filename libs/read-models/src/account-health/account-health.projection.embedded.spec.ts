import { IN_MEMORY, openDatabase } from '@ahe/database';
import { describeAccountHealthProjection, projectionHarness } from './account-health.projection.contract';
import { describeLtvRefit } from './account-health.ltv-refit.contract';
import { describeHealthQueries } from './account-health.queries.contract';

describe('account_health read models on the embedded PGlite', () => {
  const harness = projectionHarness(() => openDatabase({ kind: 'embedded', dataDir: IN_MEMORY }));
  afterAll(async () => {
    await harness.store().close();
    await harness.sql().close();
  });

  describeAccountHealthProjection(harness);
  describeHealthQueries(harness);
  describeLtvRefit(harness);
});
