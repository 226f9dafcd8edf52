import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import type { EventStore } from '@ahe/event-store';
import { createHttpApp, EVENT_STORE, loadConfig } from '@ahe/platform';
import { AppModule, type AppRole } from '../../apps/api/src/app.module';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Backend = 'embedded' | 'postgres';

export interface RunningApi {
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly store: EventStore;
  /** supertest against the running server. */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * The api process as main.ts builds it (AppModule, by default the HTTP role only, createHttpApp), listening
 * on a free port: on the embedded store in memory, or on PostgreSQL in a schema of its own that
 * close() drops.
 */
export async function startApi(
  backend: Backend,
  env: Record<string, string> = {},
  { roles = ['http'] }: { readonly roles?: readonly AppRole[] } = {},
): Promise<RunningApi> {
  // DATABASE_SCHEMA in `env` chooses the schema (e.g. to share it with a CLI run); close() drops it.
  const schema = env.DATABASE_SCHEMA ?? `api_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const storeEnv = backend === 'embedded' ? { DATA_DIR: ':memory:' } : { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
  const config = loadConfig({ LOG_LEVEL: 'silent', ...storeEnv, ...env });
  const app = await createHttpApp(AppModule.forRoot({ config, roles }), config);
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

let counter = 0;
/** An account id no other test uses. */
export const freshAccountId = (label = 'acct'): string => `${label}-${Date.now().toString(36)}-${++counter}`;

export const openAccountBody = (accountId: string, extra: Record<string, unknown> = {}) => ({
  accountId,
  name: 'Acme Corp',
  segment: 'enterprise',
  managerId: 'mgr-1',
  currency: 'EUR',
  contract: { startsOn: '2025-01-01', endsOn: '2026-12-31', annualValue: 120_000_00 },
  occurredAt: '2025-01-01T09:00:00Z',
  ...extra,
});

export async function openAccount(api: RunningApi, accountId = freshAccountId()): Promise<string> {
  await api.http().post('/v1/accounts').send(openAccountBody(accountId)).expect(201);
  return accountId;
}

export const ERROR_SHAPE = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };
