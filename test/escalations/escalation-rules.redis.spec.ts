import { BullMqEscalationQueue, complaintEscalationId, ESCALATION_QUEUE, openJobId } from '@ahe/escalations';
import { freshAccountId } from '../api/api-harness';
import {
  daysAgo,
  eventTypesOf,
  hoursFromNow,
  openFreshAccount,
  startEscalationEngine,
  waitForEscalations,
  type EscalationEngine,
} from './escalation-harness';

// Each rule end to end on PostgreSQL and the real Redis: HTTP command → log → process manager →
// BullMQ → worker → EscalationOpened on the stream → escalations read model → signed webhook.
describe('escalation rules end to end (PostgreSQL, BullMQ on Redis)', () => {
  let engine: EscalationEngine;

  beforeAll(async () => {
    engine = await startEscalationEngine('postgres');
  });
  afterAll(async () => {
    await engine?.close();
  });

  const complaint = (severity: string, extra: Record<string, unknown> = {}) => ({
    severity,
    category: 'billing',
    description: `A ${severity} complaint`,
    ...extra,
  });

  it('opens an escalation for a critical complaint, appends EscalationOpened and delivers a signed webhook', async () => {
    const { api, receiver } = engine;
    const accountId = freshAccountId('critical');
    await openFreshAccount(api, accountId);
    const raised = await api.http().post(`/v1/accounts/${accountId}/complaints`).send(complaint('critical', { complaintId: 'c-1' })).expect(201);

    const items = await waitForEscalations(api, accountId, (found) => found.some((item) => item.rule === 'critical-complaint'));
    const escalation = items.find((item) => item.rule === 'critical-complaint');
    expect(escalation).toMatchObject({ rule: 'critical-complaint', status: 'open', triggeringEventId: raised.body.eventIds[0] });
    expect(escalation!.reason).toContain('c-1');
    expect(await eventTypesOf(api, accountId)).toContain('EscalationOpened');

    await receiver.waitFor((hooks) => hooks.some((hook) => hook.json.escalationId === escalation!.escalationId));
    const hook = receiver.received.find((candidate) => candidate.json.escalationId === escalation!.escalationId)!;
    expect(hook.signatureValid).toBe(true);
    expect(hook.headers['x-delivery-id']).toEqual(expect.any(String));
    expect(hook.headers['content-type']).toContain('application/json');
    expect(hook.json).toMatchObject({ type: 'EscalationOpened', accountId, data: { rule: 'critical-complaint' } });
  });

  it('does not escalate a low complaint at once, and resolves the escalation when the complaint is resolved', async () => {
    const { api } = engine;
    const accountId = freshAccountId('resolve');
    await openFreshAccount(api, accountId);
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send(complaint('low', { complaintId: 'quiet', slaDueAt: hoursFromNow(48) })).expect(201);
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send(complaint('critical', { complaintId: 'loud' })).expect(201);
    // 12 points for a critical complaint: the test's scoring rules also put the account in the red band.
    await waitForEscalations(api, accountId, (items) => items.length === 2);

    await api.http().post(`/v1/accounts/${accountId}/complaints/loud/resolution`).send({ resolution: 'Refunded' }).expect(201);
    const items = await waitForEscalations(api, accountId, (found) => found.every((item) => item.status === 'resolved'));
    expect(items.map((item) => item.rule).sort()).toEqual(['band-red', 'critical-complaint']);
    expect(await eventTypesOf(api, accountId)).toContain('EscalationResolved');
  });

  it('fires the SLA timer of a complaint still open at slaDueAt, and not the one of a complaint resolved before', async () => {
    const { api } = engine;
    const accountId = freshAccountId('sla');
    await openFreshAccount(api, accountId);
    const due = new Date(Date.now() + 5_000).toISOString();
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send(complaint('medium', { complaintId: 'left-open', slaDueAt: due })).expect(201);
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send(complaint('medium', { complaintId: 'fixed', slaDueAt: due })).expect(201);
    const timerOf = async (complaintId: string) => {
      const queue = api.app.get<BullMqEscalationQueue>(ESCALATION_QUEUE).bullQueues().find((candidate) => candidate.name === 'escalations')!;
      return queue.getJob(openJobId(complaintEscalationId(accountId, 'complaint-sla-breach', complaintId)));
    };
    const waitForTimer = async (complaintId: string, present: boolean) => {
      const deadline = Date.now() + 10_000;
      while (((await timerOf(complaintId)) !== undefined) !== present) {
        if (Date.now() > deadline) throw new Error(`the SLA timer of ${complaintId} is ${present ? 'missing' : 'still there'}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    await waitForTimer('fixed', true);
    expect(await (await timerOf('fixed'))!.isDelayed()).toBe(true);
    await api.http().post(`/v1/accounts/${accountId}/complaints/fixed/resolution`).send({ resolution: 'Fixed in time' }).expect(201);
    // The resolution cancels the timer: the delayed job is removed before its deadline.
    await waitForTimer('fixed', false);
    expect(Date.now()).toBeLessThan(Date.parse(due));
    expect(await (await timerOf('left-open'))!.isDelayed()).toBe(true);

    const items = await waitForEscalations(api, accountId, (found) => found.some((item) => item.rule === 'complaint-sla-breach'));
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(due));
    // Well past the deadline of both: only the complaint left open escalated.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await waitForEscalations(api, accountId, () => true);
    expect(after.filter((item) => item.rule === 'complaint-sla-breach')).toHaveLength(1);
    expect(items.find((item) => item.rule === 'complaint-sla-breach')!.reason).toContain('left-open');
  });

  it('escalates an invoice still unpaid the configured days after it fell due, and resolves it when paid', async () => {
    const { api } = engine;
    const accountId = freshAccountId('invoice');
    await openFreshAccount(api, accountId, { openedDaysAgo: 25 });
    // Shipped rules: 14 days after dueOn. Back-dated so that deadline passed two days ago.
    const issued = await api
      .http()
      .post(`/v1/accounts/${accountId}/invoices`)
      .send({ invoiceId: 'inv-1', amount: 1_200_00, dueOn: daysAgo(16).slice(0, 10), occurredAt: daysAgo(20) });
    expect(issued.status).toBe(201);
    await waitForEscalations(api, accountId, (items) => items.some((item) => item.rule === 'invoice-overdue' && item.status === 'open'));

    await api.http().post(`/v1/accounts/${accountId}/invoices/inv-1/payments`).send({ amount: 1_200_00 }).expect(201);
    await waitForEscalations(api, accountId, (items) => items.some((item) => item.rule === 'invoice-overdue' && item.status === 'resolved'));
  });

  it('escalates an account whose band turns red', async () => {
    const { api } = engine;
    const accountId = freshAccountId('red');
    await openFreshAccount(api, accountId);
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send(complaint('high', { slaDueAt: hoursFromNow(72) })).expect(201);
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send(complaint('high', { slaDueAt: hoursFromNow(72) })).expect(201);
    const items = await waitForEscalations(api, accountId, (found) => found.some((item) => item.rule === 'band-red'));
    expect(items.filter((item) => item.rule === 'band-red')).toHaveLength(1);
    const health = await api.http().get(`/v1/health/${accountId}`).expect(200);
    expect(health.body.band).toBe('red');
  });

  it('escalates an NPS detractor', async () => {
    const { api } = engine;
    const accountId = freshAccountId('nps');
    await openFreshAccount(api, accountId);
    await api.http().post(`/v1/accounts/${accountId}/surveys`).send({ kind: 'nps', score: 9 }).expect(201);
    await api.http().post(`/v1/accounts/${accountId}/surveys`).send({ kind: 'nps', score: 2, comment: 'Support never answers' }).expect(201);
    const items = await waitForEscalations(api, accountId, (found) => found.some((item) => item.rule === 'satisfaction-drop'));
    expect(items.filter((item) => item.rule === 'satisfaction-drop')).toHaveLength(1);
  });

  it('escalates a satisfaction trend falling past the threshold (CSAT: no detractor rule applies)', async () => {
    const { api } = engine;
    const accountId = freshAccountId('trend');
    await openFreshAccount(api, accountId, { openedDaysAgo: 40 });
    // CSAT 5 → 4 → 2 over 20 days: −75 points of the 0–100 scale per 30 days, past −15.
    for (const [score, daysBack] of [[5, 25], [4, 15], [2, 5]] as const) {
      await api.http().post(`/v1/accounts/${accountId}/surveys`).send({ kind: 'csat', score, occurredAt: daysAgo(daysBack) }).expect(201);
    }
    const items = await waitForEscalations(api, accountId, (found) => found.some((item) => item.rule === 'satisfaction-drop'));
    const drops = items.filter((item) => item.rule === 'satisfaction-drop');
    expect(drops).toHaveLength(1);
    expect(drops[0]!.reason).toMatch(/trend/i);
  });

  it('delivers the acknowledgement of an escalation as a webhook too', async () => {
    const { api, receiver } = engine;
    const accountId = freshAccountId('ack');
    await openFreshAccount(api, accountId);
    await api.http().post(`/v1/accounts/${accountId}/complaints`).send(complaint('critical')).expect(201);
    const items = await waitForEscalations(api, accountId, (found) => found.some((item) => item.rule === 'critical-complaint'));
    const escalation = items.find((item) => item.rule === 'critical-complaint');
    await api.http().post(`/v1/escalations/${escalation!.escalationId}/acknowledgement`).send({ note: 'On it' }).expect(201);
    await receiver.waitFor((hooks) => hooks.some((hook) => hook.json.type === 'EscalationAcknowledged' && hook.json.escalationId === escalation!.escalationId));
    await waitForEscalations(api, accountId, (found) => found.some((item) => item.escalationId === escalation!.escalationId && item.status === 'acknowledged'));
  });
});
