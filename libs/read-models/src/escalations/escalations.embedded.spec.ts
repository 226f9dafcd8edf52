import { IN_MEMORY, openDatabase } from '@ahe/database';
import { escalationsHarness } from './escalations.harness.contract';
import { describeEscalationsProjection } from './escalations.projection.contract';
import { describeEscalationQueries } from './escalations.queries.contract';

describe('escalations read model on the embedded PGlite', () => {
  const harness = escalationsHarness(() => openDatabase({ kind: 'embedded', dataDir: IN_MEMORY }), (sql) => sql.close());

  describeEscalationsProjection(harness);
  describeEscalationQueries(harness);
});
