import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/child-processes';
import { openAccountBody, startApi, type Backend, type RunningApi } from '../api/api-harness';
import { dropQueuePrefix, freshQueuePrefix, TEST_REDIS_URL } from '../support/redis-test-prefix';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

export const WEBHOOK_SECRET = 'test-secret-0123456789abcdef';

export interface EscalationEngine {
  readonly api: RunningApi;
  readonly receiver: WebhookReceiver;
  close(): Promise<void>;
}

/**
 * Scoring rules whose red band starts at 10 points, so two high complaints (7 each) turn an
 * account red; the shipped rules need a far sicker account.
 */
function lowBandScoringRules(): string {
  const rules = JSON.parse(readFileSync(join(ROOT, 'config', 'scoring-rules.json'), 'utf8')) as Record<string, unknown>;
  const file = join(mkdtempSync(join(tmpdir(), 'ahe-escalations-')), 'scoring-rules.json');
  writeFileSync(file, JSON.stringify({ ...rules, version: 90, bands: { amber: 5, red: 10 } }));
  return file;
}

/**
 * The whole engine in one process (API, projections, process manager, workers) on `backend`,
 * with escalation queues on the real Redis under a prefix of its own (or in process when
 * `redis` is false), delivering webhooks to a local receiver.
 */
export async function startEscalationEngine(
  backend: Backend,
  { redis = true, env = {} }: { readonly redis?: boolean; readonly env?: Record<string, string> } = {},
): Promise<EscalationEngine> {
  const receiver = await startWebhookReceiver(WEBHOOK_SECRET);
  const prefix = freshQueuePrefix('e2e');
  const api = await startApi(
    backend,
    {
      ...(redis ? { REDIS_URL: TEST_REDIS_URL, ESCALATION_QUEUE_PREFIX: prefix } : {}),
      ESCALATION_WEBHOOK_URLS: receiver.url,
      WEBHOOK_SECRET,
      ESCALATION_RETRY_BACKOFF_MS: '50',
      ESCALATION_RETRY_ATTEMPTS: '5',
      SCORING_RULES_FILE: lowBandScoringRules(),
      ...env,
    },
    { roles: ['http', 'projections', 'escalations'] },
  );
  return {
    api,
    receiver,
    async close() {
      await api.close();
      await receiver.close();
      if (redis) await dropQueuePrefix(prefix);
    },
  };
}

/** An account opened now, so nothing about it is older than the rules' freshness window. */
export async function openFreshAccount(api: RunningApi, accountId: string, { openedDaysAgo = 0 }: { readonly openedDaysAgo?: number } = {}): Promise<void> {
  const openedAt = new Date(Date.now() - openedDaysAgo * 86_400_000 - 60_000);
  const startsOn = openedAt.toISOString().slice(0, 10);
  const endsOn = new Date(openedAt.getTime() + 365 * 86_400_000).toISOString().slice(0, 10);
  await api
    .http()
    .post('/v1/accounts')
    .send(openAccountBody(accountId, { occurredAt: openedAt.toISOString(), contract: { startsOn, endsOn, annualValue: 50_000_00 } }))
    .expect(201);
}

export interface EscalationItem {
  readonly escalationId: string;
  readonly accountId: string;
  readonly rule: string;
  readonly status: string;
  readonly reason: string;
  readonly triggeringEventId: string;
}

export async function escalationsOf(api: RunningApi, accountId: string): Promise<EscalationItem[]> {
  const response = await api.http().get('/v1/escalations').query({ accountId });
  // 503 until the projection engine has created the read model, just after start.
  if (response.status === 503) return [];
  expect(response.status).toBe(200);
  return (response.body as { items: EscalationItem[] }).items;
}

export async function waitForEscalations(
  api: RunningApi,
  accountId: string,
  predicate: (items: readonly EscalationItem[]) => boolean,
  timeoutMs = 20_000,
): Promise<EscalationItem[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = await escalationsOf(api, accountId);
    if (predicate(items)) return items;
    if (Date.now() > deadline) throw new Error(`escalations of ${accountId} not as expected within ${timeoutMs} ms: ${JSON.stringify(items.map((item) => [item.rule, item.status]))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function eventTypesOf(api: RunningApi, accountId: string): Promise<string[]> {
  const response = await api.http().get(`/v1/accounts/${accountId}/events`).query({ limit: 1000 }).expect(200);
  return (response.body as { items: { type: string }[] }).items.map((event) => event.type);
}

export const hoursFromNow = (hours: number): string => new Date(Date.now() + hours * 3_600_000).toISOString();
export const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString();
