import { randomUUID } from 'node:crypto';
import { openDatabase } from '@ahe/database';
import { describeLtvCustomers } from './ltv-models.customers.contract';
import { describeLtvFits } from './ltv-models.fits.contract';
import { ltvHarness } from './ltv-models.projection-harness.contract';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('ltv_models read model on PostgreSQL', () => {
  const schema = `ltv_${randomUUID().slice(0, 8)}`;
  const harness = ltvHarness(() => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 }));
  afterAll(async () => {
    await harness.store().close();
    await harness.sql().query(`DROP SCHEMA ${schema} CASCADE`);
    await harness.sql().close();
  });

  describeLtvCustomers(harness);
  describeLtvFits(harness);
});
