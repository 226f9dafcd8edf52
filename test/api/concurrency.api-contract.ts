import { openAccount, openAccountBody, freshAccountId, type RunningApi } from './api-harness';

const contact = (summary: string) => ({ channel: 'chat', direction: 'inbound', summary });

/** If-Match, concurrent writers and Idempotency-Key (API.md, Conventions). */
export function describeConcurrency(api: () => RunningApi): void {
  describe('If-Match', () => {
    it('appends at the matching revision and refuses a stale one with 409, appending nothing', async () => {
      const accountId = await openAccount(api());
      const path = `/v1/accounts/${accountId}/contacts`;
      const first = await api().http().post(path).set('If-Match', '0').send(contact('one')).expect(201);
      expect(first.body.revision).toBe(1);
      await api().http().post(path).set('If-Match', first.headers.etag as string).send(contact('two')).expect(201);
      const stale = await api().http().post(path).set('If-Match', '1').send(contact('stale')).expect(409);
      expect(stale.body).toMatchObject({ statusCode: 409, code: 'WRONG_EXPECTED_REVISION', details: { expected: 1, actual: 2 } });
      expect(await api().store.streamRevision(`account-${accountId}`)).toBe(2);
    });

    it('answers 404 for an account that does not exist, whatever revision If-Match names', async () => {
      const accountId = freshAccountId('ghost');
      const response = await api().http().post(`/v1/accounts/${accountId}/contacts`).set('If-Match', '3').send(contact('nobody')).expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'ACCOUNT_NOT_FOUND', message: expect.stringContaining(accountId) });
      expect(await api().store.streamRevision(`account-${accountId}`)).toBe(-1);
    });
  });

  it('lets 16 concurrent writers on one account all succeed, with contiguous revisions', async () => {
    const accountId = await openAccount(api());
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, index) => api().http().post(`/v1/accounts/${accountId}/contacts`).send(contact(`writer ${index}`))),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(16).fill(201));
    expect(responses.map((response) => response.body.revision as number).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, index) => index + 1));
    const events = await api().store.readStream(`account-${accountId}`);
    expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 17 }, (_, index) => index));
    expect(new Set(events.slice(1).map((event) => (event.data as { summary: string }).summary)).size).toBe(16);
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same key and body, appending nothing', async () => {
      const accountId = freshAccountId('idem');
      const body = openAccountBody(accountId);
      const first = await api().http().post('/v1/accounts').set('Idempotency-Key', `open-${accountId}`).send(body).expect(201);
      expect(first.headers['idempotent-replay']).toBeUndefined();
      // Same body with its keys in another order: the same request.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const again = await api().http().post('/v1/accounts').set('Idempotency-Key', `open-${accountId}`).send(reordered).expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replay']).toBe('true');
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(await api().store.streamRevision(`account-${accountId}`)).toBe(0);
      const [event] = await api().store.readStream(`account-${accountId}`);
      expect(event!.metadata).toMatchObject({ idempotencyKey: `open-${accountId}`, causationId: `open-${accountId}` });
    });

    it('answers 409 for the same key with another body, or on another route', async () => {
      const accountId = await openAccount(api());
      const path = `/v1/accounts/${accountId}/contacts`;
      await api().http().post(path).set('Idempotency-Key', 'k-409').send(contact('first')).expect(201);
      const other = await api().http().post(path).set('Idempotency-Key', 'k-409').send(contact('second')).expect(409);
      expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
      await api().http().post(`/v1/accounts/${accountId}/expansions`).set('Idempotency-Key', 'k-409').send({ amount: 1, description: 'x' }).expect(409);
      expect(await api().store.streamRevision(`account-${accountId}`)).toBe(1);
    });

    it('appends once when the same request races itself, and every racer gets the same answer', async () => {
      const accountId = await openAccount(api());
      const racers = await Promise.all(
        Array.from({ length: 8 }, () =>
          api().http().post(`/v1/accounts/${accountId}/complaints`).set('Idempotency-Key', `race-${accountId}`)
            .send({ severity: 'critical', category: 'outage', description: 'All down' }),
        ),
      );
      expect(racers.map((response) => response.status)).toEqual(Array(8).fill(201));
      const bodies = new Set(racers.map((response) => JSON.stringify(response.body)));
      expect(bodies.size).toBe(1);
      expect(racers.filter((response) => response.headers['idempotent-replay'] === 'true')).toHaveLength(7);
      expect(await api().store.streamRevision(`account-${accountId}`)).toBe(1);
    });

    it('lets a request that failed be retried with its key', async () => {
      const accountId = freshAccountId('retry');
      const path = `/v1/accounts/${accountId}/contacts`;
      await api().http().post(path).set('Idempotency-Key', 'retry-1').send(contact('early')).expect(404);
      await api().http().post('/v1/accounts').send(openAccountBody(accountId)).expect(201);
      await api().http().post(path).set('Idempotency-Key', 'retry-1').send(contact('early')).expect(201);
    });
  });
}
