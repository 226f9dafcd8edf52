import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import type { EventStore } from '@ahe/event-store';
import { createHttpApp, EVENT_STORE, loadConfig, type AppConfig } from '@ahe/platform';
import { PROJECTION_DEFINITIONS, ProjectionEngine, ProjectionWorkersModule, type ProjectionDefinition } from '@ahe/projections';
import { readModelProjections, type ScoringRules } from '@ahe/read-models';
import { AppModule } from '../../../apps/api/src/app.module';
import { ProjectionsAdminModule } from '../../../apps/api/src/projections/projections-admin.module';
import { QueriesModule } from '../../../apps/api/src/queries/queries.module';
import { SCORING_RULES, ScoringRulesModule } from '../../../apps/api/src/queries/scoring-rules.module';
import { TEST_DATABASE_URL, type Backend, type RunningApi } from '../api-harness';

const includes = (root: DynamicModule, module: unknown): boolean =>
  (root.imports ?? []).some((imported) => imported === module || (imported as DynamicModule).module === module);

/**
 * The app with the HTTP and projection roles (as the embedded default runs it), plus the query
 * and projection admin modules (importing them again is harmless once AppModule lists them),
 * and projection workers unless AppModule already runs them (two engines must not share a store).
 */
@Module({})
class QueriesTestModule {
  static forRoot(root: DynamicModule, projections: boolean): DynamicModule {
    const workers = !projections || includes(root, ProjectionWorkersModule)
      ? []
      : [
          ProjectionWorkersModule.forRoot({
            inject: [SCORING_RULES],
            definitions: (config: AppConfig, rules: ScoringRules) =>
              readModelProjections({ rules, healthRefreshIntervalMs: config.projections.healthRefreshIntervalMs }),
          }),
        ];
    return { module: QueriesTestModule, imports: [root, ScoringRulesModule, QueriesModule, ProjectionsAdminModule, ...workers] };
  }
}

/**
 * DATABASE_SCHEMA in `env` chooses the PostgreSQL schema (dropped by close()), e.g. to share it
 * with a CLI run; `projections: false` is the api process of server mode, with no projector.
 */
export async function startQueriesApi(backend: Backend, env: Record<string, string> = {}, { projections = true } = {}): Promise<RunningApi> {
  const schema = env.DATABASE_SCHEMA ?? `queries_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const storeEnv = backend === 'embedded' ? { DATA_DIR: ':memory:' } : { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
  const config = loadConfig({ LOG_LEVEL: 'silent', ...storeEnv, ...env });
  const root = QueriesTestModule.forRoot(AppModule.forRoot({ config, roles: projections ? ['http', 'projections'] : ['http'] }), projections);
  const app = await createHttpApp(root, config);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    url,
    app,
    store: app.get<EventStore>(EVENT_STORE),
    http: () => request(url),
    async close() {
      await app.close();
      if (backend === 'postgres') {
        const client = new Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  };
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
