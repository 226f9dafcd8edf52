import { randomUUID } from 'node:crypto';
import { openDatabase } from '@ahe/database';
import { escalationsHarness } from './escalations.harness.contract';
import { describeEscalationsProjection } from './escalations.projection.contract';
import { describeEscalationQueries } from './escalations.queries.contract';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('escalations read model on PostgreSQL', () => {
  const schema = `escalations_${randomUUID().slice(0, 8)}`;
  const harness = escalationsHarness(
    () => openDatabase({ kind: 'postgres', connectionString: TEST_DATABASE_URL, schema, poolSize: 4 }),
    async (sql) => {
      await sql.query(`DROP SCHEMA ${schema} CASCADE`);
      await sql.close();
    },
  );

  describeEscalationsProjection(harness);
  describeEscalationQueries(harness);
});
