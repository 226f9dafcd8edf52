import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ESCALATION_PROCESS_MANAGER, ESCALATION_QUEUE, type EscalationQueue } from '@ahe/escalations';
import { createHttpApp, loadConfig } from '@ahe/platform';
import { ProjectionEngine } from '@ahe/projections';
import { AppModule } from '../../api/src/app.module';
import { dropQueuePrefix, freshQueuePrefix } from './bench-redis';
import { dropTarget, targetEnv, type StoreTarget } from './store-target';
import { startWebhookSink, type WebhookSink } from './webhook-sink';

/**
 * The whole engine in one process, as the escalation tests start it: HTTP, projections (the
 * escalation process manager among them) and the BullMQ workers, on PostgreSQL in a schema of
 * its own and on Redis under a prefix of its own, delivering webhooks to a local sink.
 */
export interface BenchEngine {
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly sink: WebhookSink;
  readonly prefix: string;
  readonly projections: ProjectionEngine;
  readonly queue: EscalationQueue;
  close(): Promise<void>;
}

export interface BenchEngineOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
}

const WEBHOOK_SECRET = 'bench-secret-0123456789abcdef';

export async function startBenchEngine({ databaseUrl, redisUrl }: BenchEngineOptions): Promise<BenchEngine> {
  const sink = await startWebhookSink();
  const store: StoreTarget = { kind: 'postgres', databaseUrl, schema: `bench_esc_${randomUUID().replace(/-/g, '').slice(0, 12)}` };
  const prefix = freshQueuePrefix('e2e');
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    ...targetEnv(store),
    REDIS_URL: redisUrl,
    ESCALATION_QUEUE_PREFIX: prefix,
    ESCALATION_WEBHOOK_URLS: sink.url,
    WEBHOOK_SECRET,
    // The benchmark is one client sending thousands of commands a minute.
    RATE_LIMIT_PER_MINUTE: String(1e9),
  });
  const app = await createHttpApp(AppModule.forRoot({ config, roles: ['http', 'projections', 'escalations'] }), config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    app,
    sink,
    prefix,
    projections: app.get(ProjectionEngine, { strict: false }),
    queue: app.get<EscalationQueue>(ESCALATION_QUEUE, { strict: false }),
    async close() {
      await app.close();
      await sink.close();
      await dropQueuePrefix(redisUrl, prefix);
      await dropTarget(store);
    },
  };
}

/** Waits until the process manager runs here and has applied everything committed so far. */
export async function untilCaughtUp(engine: BenchEngine, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!engine.projections.owned().includes(ESCALATION_PROCESS_MANAGER)) {
    if (Date.now() > deadline) throw new Error(`the escalation process manager did not start within ${timeoutMs} ms`);
    await sleep(50);
  }
  await engine.projections.waitUntilCaughtUp(Math.max(1000, deadline - Date.now()));
}

export async function postJson(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 300)}`);
}

/** Accounts opened a minute ago with a contract running a year from now, `clients` requests at a time (not timed). */
export async function openAccounts(engine: BenchEngine, accountIds: readonly string[], clients: number): Promise<void> {
  const openedAt = new Date(Date.now() - 60_000);
  const startsOn = openedAt.toISOString().slice(0, 10);
  const endsOn = new Date(openedAt.getTime() + 365 * 86_400_000).toISOString().slice(0, 10);
  let next = 0;
  const client = async () => {
    while (next < accountIds.length) {
      const accountId = accountIds[next++]!;
      await postJson(`${engine.url}/v1/accounts`, {
        accountId,
        name: `Bench ${accountId}`,
        segment: 'enterprise',
        managerId: 'mgr-bench',
        currency: 'EUR',
        contract: { startsOn, endsOn, annualValue: 50_000_00 },
        occurredAt: openedAt.toISOString(),
      });
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
