import { randomUUID } from 'node:crypto';
import { openDatabase } from '@ahe/database';
import { describeAccountHealthProjection, projectionHarness } from './account-health.projection.contract';
import { describeLtvRefit } from './account-health.ltv-refit.contract';
import { describeHealthQueries } from './account-health.queries.contract';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('account_health read models on PostgreSQL', () => {
  const schema = `health_${randomUUID().slice(0, 8)}`;
  const harness = projectionHarness(() => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 }));
  afterAll(async () => {
    await harness.store().close();
    await harness.sql().query(`DROP SCHEMA ${schema} CASCADE`);
    await harness.sql().close();
  });

  describeAccountHealthProjection(harness);
  describeHealthQueries(harness);
  describeLtvRefit(harness);
});
