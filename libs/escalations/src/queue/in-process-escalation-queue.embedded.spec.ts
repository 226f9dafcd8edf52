import { IN_MEMORY, openDatabase, type SqlClient } from '@ahe/database';
import { describeEscalationQueueContract } from './escalation-queue.contract';
import { describeInProcessQueue, inProcessFactory } from './in-process-escalation-queue.contract';
import { describeInProcessOutcomes } from './in-process-job-outcomes.contract';

describe('in-process escalation queue on the embedded PGlite', () => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await openDatabase({ kind: 'embedded', dataDir: IN_MEMORY });
  });
  afterAll(() => sql.close());

  describeEscalationQueueContract('in-process, embedded PGlite', inProcessFactory(() => sql));
  describe('database-backed behaviour', () => describeInProcessQueue(() => sql));
  describe('recording outcomes', () => describeInProcessOutcomes(() => sql));
});
