import { formatCheckpoint, START, type NewEvent } from '@ahe/event-store';
import { ProjectionEngine } from '../engine/projection-engine';
import { readProjectionStatuses } from '../status/projection-status';
import type { ProjectionDefinition } from '../projection.definition';
import { backendHarness } from './backend-harness.contract';
import { contact, type Backend, type StreamCount } from './toy-projection.contract';

type EngineOptions = ConstructorParameters<typeof ProjectionEngine>[0];

/**
 * One backend for a describe block of engine specs: opened before its tests with a seed of
 * 24 events, every engine made by `engineFor` stopped after each test. Every event appended
 * through `append` is recorded, in order, for `expected`: each toy reads the whole log.
 */
export function engineHarness(backend: Backend) {
  const log: Array<{ streamId: string; type: string; revision: number }> = [];
  const base = backendHarness(backend, () => harness.appendMany('seed', 3, 8));
  const { engines } = base;

  const harness = Object.assign(base, {
    log,
    engineFor(definitions: ProjectionDefinition[], options: Partial<EngineOptions> = {}): ProjectionEngine {
      // A long idle wait: only a commit's wake-up can deliver a new event quickly.
      const engine = new ProjectionEngine({ sql: base.sql, store: base.store, definitions, batchSize: 10, lockRetryMs: 200, maxIdleMs: 60_000, ...options });
      engines.push(engine);
      return engine;
    },
    async append(streamId: string, events: NewEvent[]): Promise<void> {
      const result = await base.store.append(streamId, events);
      events.forEach((event, index) => log.push({ streamId, type: event.type, revision: result.firstRevision + index }));
    },
    async appendMany(prefix: string, streams: number, perStream: number): Promise<void> {
      for (let round = 0; round < perStream; round++) for (let s = 0; s < streams; s++) await harness.append(`${prefix}-${s}`, [contact(`${round}`)]);
    },
    /** The toy's rows for the whole log so far, events of type `poison` left out. */
    expected(poison?: string): StreamCount[] {
      const byStream = new Map<string, { events: number; last: number }>();
      for (const event of log) {
        if (event.type === poison) continue;
        const entry = byStream.get(event.streamId) ?? { events: 0, last: -1 };
        byStream.set(event.streamId, { events: entry.events + 1, last: Math.max(entry.last, event.revision) });
      }
      return [...byStream.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([stream_id, { events, last }]) => ({ stream_id, events, last_revision: last }));
    },
    /** Records the checkpoint each store subscription starts from, until restore(). */
    recordSubscriptions() {
      const store = base.store;
      const froms: string[] = [];
      const subscribe = store.subscribe.bind(store);
      store.subscribe = (handler, options) => (froms.push(formatCheckpoint(options?.from ?? START)), subscribe(handler, options));
      return { froms, restore: () => void (store.subscribe = subscribe) };
    },
    async statusOf(definition: ProjectionDefinition) {
      return (await readProjectionStatuses(base.sql, { definitions: [definition], store: base.store, now: new Date(), lockRetryMs: 200, batchSize: 10 }))[0]!;
    },
  });
  return harness;
}
