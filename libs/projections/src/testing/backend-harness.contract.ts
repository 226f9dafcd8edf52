import type { SqlClient } from '@ahe/database';
import type { EventStore } from '@ahe/event-store';
import type { ProjectionEngine } from '../engine/projection-engine';
import type { Backend } from './toy-projection.contract';

/**
 * One backend for a describe block of specs that start engines: opened and seeded before its
 * tests, closed after them, and every engine put in `engines` stopped after each test. The
 * engine and rebuild harnesses build their helpers on it.
 */
export function backendHarness(backend: Backend, seed: () => Promise<void>) {
  let env: Awaited<ReturnType<Backend['open']>>;
  const engines: ProjectionEngine[] = [];

  beforeAll(async () => {
    env = await backend.open();
    await seed();
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
  });
  afterAll(() => env.dispose());

  return {
    get sql(): SqlClient {
      return env.sql;
    },
    get store(): EventStore {
      return env.store;
    },
    engines,
  };
}
