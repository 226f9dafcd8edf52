import { MAX_READ_ALL_LIMIT, type EventStore } from '@ahe/event-store';
import type { SqlClient } from '@ahe/database';
import { engineContext } from '../engine/engine-options';
import type { ProjectionDefinition } from '../projection.definition';
import { assertValidDefinitions } from './projection-names';

const definition = (batchSize?: number): ProjectionDefinition => ({
  name: 'counts',
  version: '1',
  tables: [{ name: 'counts', ddl: (physical) => `CREATE TABLE ${physical} (id text PRIMARY KEY)` }],
  batchSize,
  apply: async () => undefined,
});
// engineContext only keeps these; nothing here reaches a database.
const sql = {} as SqlClient;
const store = {} as EventStore;

describe('batch sizes the engine accepts', () => {
  it('takes a definition batch size up to the most one read of the log returns', () => {
    expect(() => assertValidDefinitions([definition(MAX_READ_ALL_LIMIT)])).not.toThrow();
    expect(() => assertValidDefinitions([definition()])).not.toThrow();
  });

  it.each([0, -1, 2.5, Number.NaN, MAX_READ_ALL_LIMIT + 1, 50_000])('refuses a definition batch size of %p, naming the projection and the limit', (size) => {
    expect(() => assertValidDefinitions([definition(size)])).toThrow(`batchSize of counts must be an integer from 1 to ${MAX_READ_ALL_LIMIT}`);
  });

  it.each([
    [{ batchSize: MAX_READ_ALL_LIMIT + 1 }, 'batchSize'],
    [{ batchSize: 0 }, 'batchSize'],
    [{ rebuildBatchSize: 50_000 }, 'rebuildBatchSize'],
    [{ rebuildBatchSize: 0 }, 'rebuildBatchSize'],
  ])('refuses engine options %p, naming %s', (options, name) => {
    expect(() => engineContext({ sql, store, definitions: [], ...options }, 'owner')).toThrow(new RegExp(`^${name} must be an integer from 1 to ${MAX_READ_ALL_LIMIT}`));
  });

  it('builds generations in batches ten times the live size, capped at the read limit', () => {
    expect(engineContext({ sql, store, definitions: [] }, 'owner').rebuildBatchSize).toBe(5_000);
    expect(engineContext({ sql, store, definitions: [], batchSize: 50 }, 'owner').rebuildBatchSize).toBe(500);
    expect(engineContext({ sql, store, definitions: [], batchSize: 2_000 }, 'owner').rebuildBatchSize).toBe(MAX_READ_ALL_LIMIT);
    expect(engineContext({ sql, store, definitions: [], batchSize: 2_000, rebuildBatchSize: MAX_READ_ALL_LIMIT }, 'owner').rebuildBatchSize).toBe(MAX_READ_ALL_LIMIT);
  });
});
