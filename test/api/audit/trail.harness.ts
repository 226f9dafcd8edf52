import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import type { SqlClient } from '@ahe/database';
import type { EventStore } from '@ahe/event-store';
import { createHttpApp, EVENT_STORE, loadConfig, SQL_CLIENT } from '@ahe/platform';
import { AppModule } from '../../../apps/api/src/app.module';
import { AuditModule } from '../../../apps/api/src/audit/audit.module';
import { TEST_DATABASE_URL, type Backend, type RunningApi } from '../api-harness';

export type LogLine = Record<string, unknown> & { msg?: string; correlationId?: string; audit?: boolean };

export interface AuditApi extends RunningApi {
  /** Every log line the process wrote, parsed, and as written. */
  readonly logs: readonly LogLine[];
  readonly rawLogs: readonly string[];
  /** Plain SQL on the store's database, on a connection of its own where there can be one: tampering behind the engine's back. */
  behindTheEngine(text: string, params?: readonly unknown[]): Promise<void>;
}

/**
 * The api process as startApi builds it, with AuditModule (and `imports`) next to AppModule
 * (harmless once AppModule lists it: Nest imports a module once) and its log lines captured.
 * One per test file: nestjs-pino keeps the first app's destination for the whole process.
 */
export async function startAuditApi(backend: Backend, env: Record<string, string> = {}, imports: readonly Type[] = []): Promise<AuditApi> {
  const schema = `audit_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const storeEnv = backend === 'embedded' ? { DATA_DIR: ':memory:' } : { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema };
  const config = loadConfig({ LOG_LEVEL: 'info', ...storeEnv, ...env });
  const logs: LogLine[] = [];
  const rawLogs: string[] = [];
  const logStream = { write: (line: string) => void (rawLogs.push(line), logs.push(JSON.parse(line) as LogLine)) };
  const app = await createHttpApp(
    { module: class AuditApiUnderTest {}, imports: [AppModule.forRoot({ config, roles: ['http'], logStream }), AuditModule, ...imports] },
    config,
  );
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();

  const onPostgres = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  return {
    url,
    app,
    logs,
    rawLogs,
    store: app.get<EventStore>(EVENT_STORE),
    http: () => request(url),
    async behindTheEngine(text, params = []) {
      if (backend === 'embedded') await app.get<SqlClient>(SQL_CLIENT).query(text, params);
      else await onPostgres((client) => client.query(text, [...params]));
    },
    async close() {
      await app.close();
      if (backend === 'postgres') await onPostgres((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    },
  };
}

/** The audit line of a request, waiting for it: it is written once the response has left. */
export async function auditLineOf(api: AuditApi, correlationId: string): Promise<LogLine> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const line = api.logs.find((entry) => entry.audit === true && entry.correlationId === correlationId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no audit line for ${correlationId}`);
}

/** Appends `count` valid ContactLogged events to the account's stream in batches, straight through the store. */
export async function appendContacts(store: EventStore, accountId: string, count: number, batch = 1000): Promise<void> {
  for (let start = 0; start < count; start += batch) {
    const events = Array.from({ length: Math.min(batch, count - start) }, (_, offset) => ({
      type: 'ContactLogged',
      schemaVersion: 1,
      occurredAt: new Date(Date.UTC(2025, 0, 1) + (start + offset) * 60_000),
      data: { channel: 'email', direction: 'inbound', summary: `contact ${start + offset}`, sentiment: 0.25 },
    }));
    await store.append(`account-${accountId}`, events);
  }
}
