import { eventually } from '../support/eventually';
import { freshAccountId, openAccountBody, startApi, type Backend, type RunningApi } from './api-harness';

/**
 * A log written by an older build: ComplaintRaised v1 has no slaDueAt. Everything that folds the
 * log reads it upcast to v2 (the deadline its severity gives); the audit routes show it as stored.
 */
describe.each<Backend>(['embedded', 'postgres'])('events of an older schema version in the log (%s)', (backend) => {
  let api: RunningApi;
  beforeAll(async () => (api = await startApi(backend, {}, { roles: ['http', 'projections'] })));
  afterAll(() => api.close());

  it('scores a v1 complaint past its default SLA as breached, resolves it, and shows it as stored', async () => {
    const accountId = freshAccountId('v1');
    await api.http().post('/v1/accounts').send(openAccountBody(accountId)).expect(201);
    const v1 = { complaintId: 'old-1', severity: 'critical', category: 'outage', description: 'Down since Friday' };
    await api.store.append(`account-${accountId}`, [{ type: 'ComplaintRaised', schemaVersion: 1, occurredAt: '2025-01-02T08:00:00Z', data: v1 }], 0);

    type Health = { openComplaints?: number; factors?: unknown[] };
    const health = await eventually('the v1 complaint in account_health', async () => (await api.http().get(`/v1/health/${accountId}`)).body as Health,
      (body) => body.openComplaints === 1);
    expect(health.factors).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'slaBreaches', value: 1, points: 5 })]));

    const { body: page } = await api.http().get(`/v1/accounts/${accountId}/events`).expect(200);
    expect(page.items[1]).toMatchObject({ type: 'ComplaintRaised', schemaVersion: 1, data: v1 });
    expect(page.items[1].data).not.toHaveProperty('slaDueAt');

    await api.http().post(`/v1/accounts/${accountId}/complaints/old-1/resolution`).send({ resolution: 'Fixed' }).expect(201);
    await eventually('the complaint resolved in account_health', async () => (await api.http().get(`/v1/health/${accountId}`)).body,
      (body: { openComplaints?: number }) => body.openComplaints === 0);
  });
});
