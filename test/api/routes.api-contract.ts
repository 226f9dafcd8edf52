import { freshAccountId, openAccount, openAccountBody, type RunningApi } from './api-harness';
import { COMMAND_ROUTES, INVOICE_ID, prepareAccount, send } from './command-routes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every route of API.md "Commands" accepts its body, answers as written and appends one event. */
export function describeAcceptedCommands(api: () => RunningApi): void {
  describe.each(COMMAND_ROUTES.map((route) => [route.name, route] as const))('%s', (_name, route) => {
    it(`answers ${route.status} with the new revision and appends one ${route.eventType}`, async () => {
      const prepared = await prepareAccount(api());
      const body = route.body();
      const accountId = route.name === 'open account' ? String(body.accountId) : prepared;
      const before = await api().store.streamRevision(`account-${accountId}`);
      const response = await send(api(), route, prepared).set('X-Correlation-Id', `corr-${route.eventType}`).send(body);
      expect(response.status).toBe(route.status);
      expect(response.body).toMatchObject({ accountId, revision: before + 1, position: expect.any(Number), eventIds: [expect.stringMatching(UUID)] });
      expect(response.headers.etag).toBe(`"${before + 1}"`);
      expect(response.headers['x-revision']).toBe(String(before + 1));
      const events = await api().store.readStream(`account-${accountId}`, { fromRevision: before + 1 });
      expect(events).toHaveLength(1);
      const { occurredAt: _occurredAt, ...data } = body;
      expect(events[0]).toMatchObject({
        eventId: response.body.eventIds[0],
        type: route.eventType,
        revision: before + 1,
        data: route.name === 'open account' ? { name: body.name, contract: body.contract } : expect.objectContaining(renewalFree(data)),
        metadata: { correlationId: `corr-${route.eventType}`, causationId: `corr-${route.eventType}`, actor: 'anonymous' },
      });
    });
  });

  it('generates the ids a create body omits and answers them', async () => {
    const opened = await api().http().post('/v1/accounts').send({ ...openAccountBody('x'), accountId: undefined }).expect(201);
    expect(opened.body.accountId).toMatch(UUID);
    const accountId = opened.body.accountId as string;
    const complaint = await api().http().post(`/v1/accounts/${accountId}/complaints`)
      .send({ severity: 'high', category: 'outage', description: 'Down', occurredAt: '2025-02-01T10:00:00Z' }).expect(201);
    expect(complaint.body).toMatchObject({ accountId, complaintId: expect.stringMatching(UUID), revision: 1 });
    const invoice = await api().http().post(`/v1/accounts/${accountId}/invoices`).send({ amount: 10, dueOn: '2025-03-01', occurredAt: '2025-02-01T11:00:00Z' }).expect(201);
    expect(invoice.body.invoiceId).toMatch(UUID);
    const [raised, issued] = await api().store.readStream(`account-${accountId}`, { fromRevision: 1 });
    // Default SLA of a high-severity complaint: 24 hours after it was raised.
    expect(raised!.data).toEqual({ complaintId: complaint.body.complaintId, severity: 'high', category: 'outage', description: 'Down', slaDueAt: '2025-02-02T10:00:00.000Z' });
    expect(raised!.occurredAt).toBe('2025-02-01T10:00:00.000Z');
    expect(issued!.data).toMatchObject({ invoiceId: invoice.body.invoiceId });
  });

  it('records a lost renewal with its reason', async () => {
    const accountId = await openAccount(api());
    await api().http().post(`/v1/accounts/${accountId}/renewals`).send({ outcome: 'lost', reason: 'Budget cuts' }).expect(201);
    const [event] = await api().store.readStream(`account-${accountId}`, { fromRevision: 1 });
    expect(event).toMatchObject({ type: 'RenewalLost', data: { reason: 'Budget cuts' } });
  });

  it("renews for a year at the contract's value when a won renewal says no more, and records a lost one without a reason", async () => {
    const won = await openAccount(api());
    await api().http().post(`/v1/accounts/${won}/renewals`).send({ outcome: 'won' }).expect(201);
    await api().http().post(`/v1/accounts/${won}/renewals`).send({ outcome: 'won', annualValue: 150_000_00 }).expect(201);
    const [first, second] = await api().store.readStream(`account-${won}`, { fromRevision: 1 });
    expect(first).toMatchObject({ type: 'RenewalWon', data: { endsOn: '2027-12-31', annualValue: 120_000_00 } });
    expect(second).toMatchObject({ type: 'RenewalWon', data: { endsOn: '2028-12-31', annualValue: 150_000_00 } });
    const lost = await openAccount(api());
    await api().http().post(`/v1/accounts/${lost}/renewals`).send({ outcome: 'lost' }).expect(201);
    const [event] = await api().store.readStream(`account-${lost}`, { fromRevision: 1 });
    expect(event).toMatchObject({ type: 'RenewalLost', data: { reason: 'No reason given' } });
    const other = await openAccount(api());
    const mixed = await api().http().post(`/v1/accounts/${other}/renewals`).send({ outcome: 'lost', endsOn: '2028-01-01' }).expect(400);
    expect(mixed.body.message).toContain('endsOn');
    expect(await api().store.streamRevision(`account-${other}`)).toBe(0);
  });

  it.each([
    ['an unknown account', (id: string) => `/v1/accounts/nobody-${id}/contacts`, { channel: 'call', direction: 'inbound', summary: 'Hi' }, 404, 'ACCOUNT_NOT_FOUND'],
    ['a payment on an unknown invoice', (id: string) => `/v1/accounts/${id}/invoices/nope/payments`, { amount: 5 }, 409, 'UNKNOWN_INVOICE'],
    ['a payment over what is outstanding', (id: string) => `/v1/accounts/${id}/invoices/${INVOICE_ID}/payments`, { amount: 100_001 }, 409, 'OVERPAYMENT'],
    ['resolving an unknown complaint', (id: string) => `/v1/accounts/${id}/complaints/other/resolution`, { resolution: 'x' }, 409, 'UNKNOWN_COMPLAINT'],
    ['a change dated in the future', (id: string) => `/v1/accounts/${id}/expansions`, { amount: 1, description: 'x', occurredAt: '2999-01-01T00:00:00Z' }, 400, 'OCCURRED_IN_FUTURE'],
    ['a csat score off its scale', (id: string) => `/v1/accounts/${id}/surveys`, { kind: 'csat', score: 9 }, 400, 'INVALID_FIELD'],
  ])('refuses %s in the error shape and appends nothing', async (_what, path, body, status, code) => {
    const accountId = await prepareAccount(api());
    const response = await api().http().post(path(accountId)).send(body);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ statusCode: status, code, message: expect.any(String) });
    expect(await api().store.streamRevision(`account-${accountId}`)).toBe(2);
  });

  it('refuses opening an account twice, and any change to a closed account, with 409', async () => {
    const accountId = await openAccount(api());
    const again = await api().http().post('/v1/accounts').send(openAccountBody(accountId)).expect(409);
    expect(again.body).toMatchObject({ code: 'ACCOUNT_ALREADY_EXISTS', field: 'accountId' });
    await api().http().post(`/v1/accounts/${accountId}/closure`).send({ reason: 'Done' }).expect(201);
    const after = await api().http().post(`/v1/accounts/${accountId}/expansions`).send({ amount: 1, description: 'x' }).expect(409);
    expect(after.body.code).toBe('ACCOUNT_CLOSED');
  });

  it('stores injection-looking text verbatim', async () => {
    const accountId = await openAccount(api());
    const texts = ["'; DROP TABLE events; --", '<script>alert(1)</script>', '${jndi:ldap://x/a}', '{{7*7}}', '$(rm -rf /)', 'Robert"); DELETE FROM idempotency_keys;--', '💥 ünïcödé \\ "quoted"'];
    for (const summary of texts) {
      await api().http().post(`/v1/accounts/${accountId}/contacts`).send({ channel: 'email', direction: 'inbound', summary }).expect(201);
    }
    const events = await api().store.readStream(`account-${accountId}`, { fromRevision: 1 });
    expect(events.map((event) => (event.data as { summary: string }).summary)).toEqual(texts);
    await api().http().post(`/v1/accounts/${freshAccountId()}' OR '1'='1/contacts`).send({ channel: 'call', direction: 'inbound', summary: 'x' }).expect(400);
  });

}

/** A renewal's `outcome` chooses the event and is not part of its payload. */
function renewalFree(data: Record<string, unknown>): Record<string, unknown> {
  const { outcome: _outcome, ...rest } = data;
  return rest;
}
