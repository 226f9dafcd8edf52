import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import type { EventStore } from '@ahe/event-store';
import { createHttpApp, EVENT_STORE, loadConfig } from '@ahe/platform';
import { AppModule, type AppRole } from '../../../apps/api/src/app.module';
import { AsOfModule } from '../../../apps/api/src/audit/as-of/as-of.module';
import { TEST_DATABASE_URL, type Backend, type RunningApi } from '../api-harness';

export const AS_OF_KEYS = { writer: 'w-asof-1', analyst: 'a-asof-1', auditor: 'u-asof-1', admin: 'root-asof-1' } as const;
export type KeyRole = keyof typeof AS_OF_KEYS;

export const API_KEYS_ENV = { API_KEYS: Object.entries(AS_OF_KEYS).map(([role, key]) => `${role}:${key}`).join(',') };

/**
 * The api process as startApi builds it, with AsOfModule next to AppModule (harmless once
 * AppModule lists it: Nest imports a module once). `projections` adds the projection role, as
 * the embedded default runs it, so the live routes have read models to compare with.
 */
export async function startAsOfApi(backend: Backend, env: Record<string, string> = {}, { projections = true } = {}): Promise<RunningApi> {
  const schema = `asof_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const storeEnv = backend === 'embedded' ? { DATA_DIR: ':memory:' } : { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
  const config = loadConfig({ LOG_LEVEL: 'silent', ...storeEnv, ...env });
  const roles: AppRole[] = projections ? ['http', 'projections'] : ['http'];
  const app = await createHttpApp({ module: class AsOfApiUnderTest {}, imports: [AppModule.forRoot({ config, roles }), AsOfModule] }, config);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    url,
    app,
    store: app.get<EventStore>(EVENT_STORE),
    http: () => request(url),
    async close() {
      await app.close();
      if (backend !== 'postgres') return;
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Requests of one role's key against the running API. */
export function as(api: RunningApi, role: KeyRole) {
  const auth = `Bearer ${AS_OF_KEYS[role]}`;
  return {
    get: (path: string) => api.http().get(path).set('Authorization', auth),
    post: (path: string, body: object) => api.http().post(path).set('Authorization', auth).send(body),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
