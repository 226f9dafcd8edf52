import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import type { EventStore } from '@ahe/event-store';
import { createHttpApp, EVENT_STORE, loadConfig, type AppConfig } from '@ahe/platform';
import { AppModule, type AppRole } from '../../../apps/api/src/app.module';
import { EscalationsApiModule } from '../../../apps/api/src/escalations/escalations-api.module';
import { TEST_DATABASE_URL, type Backend, type RunningApi } from '../api-harness';

/**
 * The api process as the embedded default runs it (HTTP and projection roles, no escalation
 * workers: these specs open escalations by import), with EscalationsApiModule imported beside
 * AppModule until app.module.ts lists it; Nest holds one instance of a module however often
 * it is imported, so this stays right once it does.
 */
@Module({})
class EscalationsApiTestModule {
  static forRoot(config: AppConfig, roles: readonly AppRole[]): DynamicModule {
    return { module: EscalationsApiTestModule, imports: [AppModule.forRoot({ config, roles }), EscalationsApiModule] };
  }
}

/** `projections: false` is the api process of server mode, with no projector. */
export async function startEscalationsApi(backend: Backend, env: Record<string, string> = {}, { projections = true } = {}): Promise<RunningApi> {
  const schema = `api_esc_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const storeEnv = backend === 'embedded' ? { DATA_DIR: ':memory:' } : { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
  const config = loadConfig({ LOG_LEVEL: 'silent', ...storeEnv, ...env });
  const app = await createHttpApp(EscalationsApiTestModule.forRoot(config, projections ? ['http', 'projections'] : ['http']), config);
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

export interface ImportedEscalation {
  readonly accountId: string;
  readonly escalationId: string;
  readonly rule: string;
  readonly occurredAt: string;
  readonly reason?: string;
  readonly severity?: string;
  readonly dueAt?: string;
}

/**
 * Escalations cannot be opened by a client command: the process manager appends them. An
 * import can, as a backfill would, through the same admission rules as any event.
 */
export async function importEscalations(api: RunningApi, escalations: readonly ImportedEscalation[], authorization?: string): Promise<void> {
  const lines = escalations.map(({ accountId, escalationId, rule, occurredAt, reason, severity, dueAt }) =>
    JSON.stringify({
      accountId,
      type: 'EscalationOpened',
      occurredAt,
      data: { escalationId, rule, reason: reason ?? `${rule} on ${accountId}`, triggeringEventId: `trigger-${escalationId}`, ...(severity ? { severity } : {}), ...(dueAt ? { dueAt } : {}) },
    }),
  );
  const post = api.http().post('/v1/import').set('Content-Type', 'application/x-ndjson');
  if (authorization !== undefined) post.set('Authorization', authorization);
  const response = await post.send(`${lines.join('\n')}\n`);
  if (response.status !== 200) throw new Error(`import refused: ${response.status} ${JSON.stringify(response.body)}`);
}
