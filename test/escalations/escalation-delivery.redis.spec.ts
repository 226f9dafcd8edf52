import { freshAccountId } from '../api/api-harness';
import { pauseRedis } from '../support/redis-test-prefix';
import { openFreshAccount, startEscalationEngine, waitForEscalations, type EscalationEngine } from './escalation-harness';

const critical = { severity: 'critical', category: 'outage', description: 'Service down' };

describe('escalation deliveries (PostgreSQL, BullMQ on Redis)', () => {
  let engine: EscalationEngine;

  beforeAll(async () => {
    engine = await startEscalationEngine('postgres');
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('retries a receiver that fails twice, with the same delivery id and signature, until it answers 2xx', async () => {
    const { api, receiver } = engine;
    receiver.respondWith((_id, attempt) => (attempt < 2 ? 503 : 200));
    const accountId = freshAccountId('flaky');
    await openFreshAccount(api, accountId);
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send(critical).expect(201);
    const items = await waitForEscalations(api, accountId, (found) => found.some((item) => item.rule === 'critical-complaint'));
    const escalationId = items.find((item) => item.rule === 'critical-complaint')!.escalationId;

    const ofThis = () => receiver.received.filter((hook) => hook.json.escalationId === escalationId && hook.json.type === 'EscalationOpened');
    await receiver.waitFor(() => ofThis().some((hook) => hook.status === 200));
    const attempts = ofThis();
    expect(attempts.map((hook) => hook.status)).toEqual([503, 503, 200]);
    expect(new Set(attempts.map((hook) => hook.headers['x-delivery-id'])).size).toBe(1);
    expect(new Set(attempts.map((hook) => hook.body)).size).toBe(1);
    expect(attempts.every((hook) => hook.signatureValid)).toBe(true);
    // Exponential backoff: at least 50 ms before the first retry, 100 ms before the second.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(45);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(95);
    receiver.respondWith(() => 200);
  });

  it('puts a delivery whose retries run out in the dead-letter queue', async () => {
    const { api, receiver } = engine;
    const accountId = freshAccountId('dead');
    await openFreshAccount(api, accountId);
    receiver.respondWith(() => 500);
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send(critical).expect(201);
    const items = await waitForEscalations(api, accountId, (found) => found.some((item) => item.rule === 'critical-complaint'));
    const escalationId = items.find((item) => item.rule === 'critical-complaint')!.escalationId;
    const deadline = Date.now() + 20_000;
    let deadLetters: { data: { body?: string } ; error: string }[] = [];
    while (Date.now() < deadline) {
      const response = await api.http().get('/v1/escalations/queues').query({ deadLetters: 100 }).expect(200);
      deadLetters = (response.body.deadLetters as typeof deadLetters).filter((letter) => letter.data.body?.includes(escalationId));
      if (deadLetters.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    receiver.respondWith(() => 200);
    expect(deadLetters.length).toBeGreaterThanOrEqual(1);
    expect(deadLetters[0]!.error).toContain('500');
    const attempts = receiver.received.filter((hook) => hook.json.escalationId === escalationId && hook.json.type === 'EscalationOpened');
    expect(attempts).toHaveLength(5);

    const metrics = await api.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/ahe_escalation_queue_jobs\{queue="dead-letter",state="waiting"\} [1-9]/);
    expect(metrics.text).toMatch(/ahe_escalations_total\{rule="critical-complaint",outcome="opened"\} [1-9]/);
  });

  it('loses nothing while Redis is paused: every escalation arrives exactly once afterwards', async () => {
    const { api, receiver } = engine;
    const accounts = Array.from({ length: 5 }, (_, index) => freshAccountId(`outage${index}`));
    for (const accountId of accounts) await openFreshAccount(api, accountId);
    const paused = pauseRedis(4_000);
    await paused;
    for (const accountId of accounts) await api.http().post(`/v1/accounts/${accountId}/complaints`).send(critical).expect(201);

    const openedFor = (accountId: string) =>
      receiver.delivered().filter((hook) => hook.json.accountId === accountId && hook.json.type === 'EscalationOpened' && (hook.json.data as { rule?: string }).rule === 'critical-complaint');
    await receiver.waitFor(() => accounts.every((accountId) => openedFor(accountId).length === 1), 60_000);
    // Time for any duplicate to show up.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const accountId of accounts) {
      const items = await waitForEscalations(api, accountId, (found) => found.some((item) => item.rule === 'critical-complaint'));
      expect(items.filter((item) => item.rule === 'critical-complaint')).toHaveLength(1);
      const received = receiver.received.filter((hook) => hook.json.accountId === accountId && (hook.json.data as { rule?: string }).rule === 'critical-complaint');
      expect(received).toHaveLength(1);
    }
  });
});
