import { freshAccountId, openAccount, type RunningApi } from './api-harness';

/** GET /v1/accounts/:accountId/events: the envelopes in revision order, paged. */
export function describeEventsRoute(api: () => RunningApi): void {
  it('pages through the envelopes with nextRevision, null at the end', async () => {
    const accountId = await openAccount(api());
    for (let index = 0; index < 4; index++) {
      await api().http().post(`/v1/accounts/${accountId}/surveys`).send({ kind: 'csat', score: 1 + index }).expect(201);
    }
    const first = await api().http().get(`/v1/accounts/${accountId}/events?limit=2`).expect(200);
    expect(first.body.items.map((event: { revision: number }) => event.revision)).toEqual([0, 1]);
    expect(first.body.nextRevision).toBe(2);
    expect(first.body.items[0]).toMatchObject({
      type: 'AccountOpened', streamId: `account-${accountId}`, schemaVersion: 1, recordedAt: expect.any(String),
      globalPosition: expect.any(Number), metadata: { hash: expect.stringMatching(/^[0-9a-f]{64}$/), previousHash: expect.any(String) },
    });
    const second = await api().http().get(`/v1/accounts/${accountId}/events?fromRevision=2&limit=2`).expect(200);
    expect(second.body.items.map((event: { revision: number }) => event.revision)).toEqual([2, 3]);
    expect(second.body.nextRevision).toBe(4);
    const last = await api().http().get(`/v1/accounts/${accountId}/events?fromRevision=4`).expect(200);
    expect(last.body).toMatchObject({ items: [{ revision: 4, data: { kind: 'csat', score: 4 } }], nextRevision: null });
    const past = await api().http().get(`/v1/accounts/${accountId}/events?fromRevision=99`).expect(200);
    expect(past.body).toEqual({ items: [], nextRevision: null });
    const all = await api().http().get(`/v1/accounts/${accountId}/events`).expect(200);
    expect(all.body.items).toHaveLength(5);
  });

  it('answers 404 for an unknown account and 400 for bad paging', async () => {
    const unknown = await api().http().get(`/v1/accounts/${freshAccountId('ghost')}/events`).expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'ACCOUNT_NOT_FOUND' });
    const accountId = await openAccount(api());
    for (const query of ['limit=0', 'limit=10001', 'limit=abc', 'fromRevision=-1', 'fromRevision=1.5', 'extra=1']) {
      const response = await api().http().get(`/v1/accounts/${accountId}/events?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(query.split('=')[0]);
    }
  });
}
