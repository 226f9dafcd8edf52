import type { SqlClient } from '@ahe/database';
import type { EventStore } from '@ahe/event-store';
import { ProjectionEngine } from '../engine/projection-engine';
import { readProjectionStatuses, type ProjectionDefinition } from '../index';
import { contact, type Backend, type StreamCount } from '../testing/toy-projection.contract';

/**
 * One backend for a describe block of rebuild specs: opened before its tests with 60 events
 * over seven streams, every engine in `engines` stopped after each test. Every event appended
 * through `append` is counted, for `expected`.
 */
export function rebuildHarness(backend: Backend) {
  let env: Awaited<ReturnType<Backend['open']>>;
  const engines: ProjectionEngine[] = [];
  const counts = new Map<string, number>();

  const harness = {
    get sql(): SqlClient {
      return env.sql;
    },
    get store(): EventStore {
      return env.store;
    },
    engines,
    counts,
    engineFor(definitions: ProjectionDefinition[], options: { rebuildBatchSize?: number } = {}): ProjectionEngine {
      const engine = new ProjectionEngine({ sql: env.sql, store: env.store, definitions, batchSize: 10, rebuildBatchSize: options.rebuildBatchSize ?? 10, lockRetryMs: 200, logger: process.env.DEBUG_PROJECTIONS ? { log: (m) => console.log(Date.now() % 100000, m), warn: (m) => console.log(Date.now() % 100000, m), error: (m) => console.log(m) } : undefined });
      engines.push(engine);
      return engine;
    },
    async append(streamId: string): Promise<void> {
      await env.store.append(streamId, [contact()]);
      counts.set(streamId, (counts.get(streamId) ?? 0) + 1);
    },
    expected(): StreamCount[] {
      return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([stream_id, events]) => ({ stream_id, events, last_revision: events - 1 }));
    },
    async statusOf(definition: ProjectionDefinition) {
      return (await readProjectionStatuses(env.sql, { definitions: [definition], store: env.store, now: new Date(), lockRetryMs: 200, batchSize: 10 }))[0]!;
    },
  };

  beforeAll(async () => {
    env = await backend.open();
    for (let i = 0; i < 60; i++) await harness.append(`account-${i % 7}`);
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
  });
  afterAll(() => env.dispose());
  return harness;
}
