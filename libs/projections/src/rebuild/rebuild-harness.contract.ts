import { ProjectionEngine } from '../engine/projection-engine';
import { readProjectionStatuses, type ProjectionDefinition, type ProjectionLogger } from '../index';
import { backendHarness } from '../testing/backend-harness.contract';
import { contact, type Backend, type StreamCount } from '../testing/toy-projection.contract';

/**
 * One backend for a describe block of rebuild specs: opened before its tests with 60 events
 * over seven streams, every engine in `engines` stopped after each test. Every event appended
 * through `append` is counted, for `expected`.
 */
export function rebuildHarness(backend: Backend) {
  const counts = new Map<string, number>();
  const base = backendHarness(backend, async () => {
    for (let i = 0; i < 60; i++) await harness.append(`account-${i % 7}`);
  });
  const { engines } = base;

  const harness = Object.assign(base, {
    counts,
    engineFor(definitions: ProjectionDefinition[], options: { rebuildBatchSize?: number; logger?: ProjectionLogger } = {}): ProjectionEngine {
      const engine = new ProjectionEngine({ sql: base.sql, store: base.store, definitions, batchSize: 10, rebuildBatchSize: options.rebuildBatchSize ?? 10, lockRetryMs: 200, logger: options.logger ?? (process.env.DEBUG_PROJECTIONS ? { log: (m) => console.log(Date.now() % 100000, m), warn: (m) => console.log(Date.now() % 100000, m), error: (m) => console.log(m) } : undefined) });
      engines.push(engine);
      return engine;
    },
    async append(streamId: string): Promise<void> {
      await base.store.append(streamId, [contact()]);
      counts.set(streamId, (counts.get(streamId) ?? 0) + 1);
    },
    expected(): StreamCount[] {
      return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([stream_id, events]) => ({ stream_id, events, last_revision: events - 1 }));
    },
    async statusOf(definition: ProjectionDefinition) {
      return (await readProjectionStatuses(base.sql, { definitions: [definition], store: base.store, now: new Date(), lockRetryMs: 200, batchSize: 10 }))[0]!;
    },
  });
  return harness;
}
