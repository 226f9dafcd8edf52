import { freshAccountId } from '../api/api-harness';
import { eventTypesOf, openFreshAccount, startEscalationEngine, waitForEscalations, type EscalationEngine } from './escalation-harness';

// The embedded default: no REDIS_URL, so the same rules and timers run on the in-process queue.
describe('escalations on the embedded store (in-process queue)', () => {
  let engine: EscalationEngine;

  beforeAll(async () => {
    engine = await startEscalationEngine('embedded', { redis: false });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('escalates a critical complaint and an SLA breach, and delivers signed webhooks', async () => {
    const { api, receiver } = engine;
    const accountId = freshAccountId('embedded');
    await openFreshAccount(api, accountId);
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send({ severity: 'critical', category: 'outage', description: 'Down' }).expect(201);
    const due = new Date(Date.now() + 2_000).toISOString();
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send({ severity: 'low', category: 'ux', description: 'Slow', slaDueAt: due }).expect(201);

    const items = await waitForEscalations(api, accountId, (found) => ['critical-complaint', 'complaint-sla-breach'].every((rule) => found.some((item) => item.rule === rule)));
    expect(items.filter((item) => item.rule === 'complaint-sla-breach')).toHaveLength(1);
    expect((await eventTypesOf(api, accountId)).filter((type) => type === 'EscalationOpened').length).toBeGreaterThanOrEqual(2);
    await receiver.waitFor(() => receiver.delivered().filter((hook) => hook.json.accountId === accountId).length >= 2);
    expect(receiver.received.every((hook) => hook.signatureValid)).toBe(true);

    const queues = await api.http().get('/v1/escalations/queues').expect(200);
    expect(queues.body.backend).toBe('in-process');
    await api.http().get('/admin/queues').expect(404);
  });

  it('answers a retry of a dead letter it does not hold with 404, and names a bad queue or job id', async () => {
    const { api } = engine;
    const missing = await api.http().post('/v1/escalations/queues/dead-letters/webhooks/no-such-job/retry').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'DEAD_LETTER_NOT_FOUND', field: 'jobId', message: expect.stringContaining('no-such-job') });
    expect((await api.http().post('/v1/escalations/queues/dead-letters/mail/job-1/retry').expect(400)).body).toMatchObject({ field: 'queue' });
    expect((await api.http().post('/v1/escalations/queues/dead-letters/webhooks/a:b/retry').expect(400)).body).toMatchObject({ field: 'jobId' });
  });
});
