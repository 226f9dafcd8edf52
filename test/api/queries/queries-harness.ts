import { PROJECTION_DEFINITIONS, ProjectionEngine, type ProjectionDefinition } from '@ahe/projections';
import { startApi, type Backend, type RunningApi } from '../api-harness';

/**
 * The api process as the embedded default runs it (HTTP and projection roles);
 * `projections: false` is the api process of server mode, with no projector.
 */
export function startQueriesApi(backend: Backend, env: Record<string, string> = {}, { projections = true } = {}): Promise<RunningApi> {
  return startApi(backend, env, { roles: projections ? ['http', 'projections'] : ['http'] });
}

/**
 * Until every projection has applied everything appended so far. The engine starts in the
 * background once the app is up: wait for it to run them all first, or there is nothing to wait on.
 */
export async function caughtUp(api: RunningApi, ms = 60_000): Promise<void> {
  const engine = api.app.get(ProjectionEngine);
  const names = api.app.get<readonly ProjectionDefinition[]>(PROJECTION_DEFINITIONS).map((definition) => definition.name);
  const deadline = Date.now() + ms;
  while (!names.every((name) => engine.owned().includes(name))) {
    if (Date.now() > deadline) throw new Error(`the projection engine never took ${names.join(', ')}; it runs ${engine.owned().join(', ') || 'none'}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await engine.waitUntilCaughtUp(Math.max(deadline - Date.now(), 1));
}
