import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { serverOf, throughProxy } from '../support/freezable-proxy';
import { lostCommitProxy, type LostCommitProxy } from '../support/lost-commit-proxy';
import { freshAccountId, openAccount, startApi, TEST_DATABASE_URL, type RunningApi } from './api-harness';

/**
 * Writes sent with an Idempotency-Key whose commit is lost on the way (a connection cut, a
 * failover): what they stored is found again, so a write is stored once whatever the client saw,
 * and a retry with the key replays it or runs it, never both. An import's answer commits with
 * its events; a command's is rebuilt from the events its key derives.
 */
describe('Idempotency-Key when a commit or its reply is lost', () => {
  let proxy: LostCommitProxy;
  let api: RunningApi;
  const schema = `lost_commit_${randomUUID().slice(0, 8)}`;
  /** Forgets every stored answer: the state a lost reply leaves when the database fails the answer's own write too. */
  const forgetAnswers = async () => {
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DELETE FROM ${schema}.idempotency_keys`).finally(() => client.end());
  };

  beforeAll(async () => {
    proxy = await lostCommitProxy(serverOf(TEST_DATABASE_URL));
    api = await startApi('postgres', { DATABASE_URL: throughProxy(TEST_DATABASE_URL, proxy.port), DATABASE_CONNECT_TIMEOUT_MS: '2000', DATABASE_SCHEMA: schema });
  });

  afterAll(async () => {
    await api?.close();
    await proxy?.close();
  });

  /** Two contacts on an open account: lines that would be stored twice if the import ran twice. */
  const contacts = (accountId: string) => [1, 2].map((n) => JSON.stringify({
    accountId, type: 'ContactLogged', occurredAt: `2025-03-0${n}T10:00:00Z`, data: { channel: 'call', direction: 'outbound', summary: `Call ${n}` },
  })).join('\n');
  const send = (key: string, body: string) =>
    api.http().post('/v1/import').set('Content-Type', 'application/x-ndjson').set('Idempotency-Key', key).send(body);
  const typesOf = async (accountId: string) => {
    const events = await api.http().get(`/v1/accounts/${accountId}/events`).expect(200);
    return (events.body as { items: Array<{ type: string }> }).items.map((event) => event.type);
  };

  it('an import answers 200 when its transaction committed but its reply was lost, and a retry replays that answer', async () => {
    const accountId = await openAccount(api, freshAccountId('lost-reply'));
    const body = contacts(accountId);

    proxy.loseNext('reply');
    const first = await send(`lost-reply-${accountId}`, body);
    await proxy.lost();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ lines: 2, events: 2, accounts: 1 });

    const retry = await send(`lost-reply-${accountId}`, body);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await typesOf(accountId)).toEqual(['AccountOpened', 'ContactLogged', 'ContactLogged']);
  }, 60_000);

  it('an import answers 503 when its COMMIT never reached the server, and a retry with the key then stores the import once', async () => {
    const accountId = await openAccount(api, freshAccountId('lost-request'));
    const body = contacts(accountId);

    proxy.loseNext('request');
    const first = await send(`lost-request-${accountId}`, body);
    await proxy.lost();
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(await typesOf(accountId)).toEqual(['AccountOpened']);

    const retry = await send(`lost-request-${accountId}`, body);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replay']).toBeUndefined();
    expect(retry.body).toMatchObject({ lines: 2, events: 2, accounts: 1 });
    expect(await send(`lost-request-${accountId}`, body).then((again) => again.headers['idempotent-replay'])).toBe('true');
    expect(await typesOf(accountId)).toEqual(['AccountOpened', 'ContactLogged', 'ContactLogged']);
  }, 60_000);

  it('a command whose commit reply was lost answers from the events it stored, and a retry replays that answer', async () => {
    const accountId = await openAccount(api, freshAccountId('lost-command'));
    const complaint = { severity: 'high', category: 'outage', description: 'Down again' };
    const raise = () => api.http().post(`/v1/accounts/${accountId}/complaints`).set('Idempotency-Key', `raise-${accountId}`).send(complaint);

    proxy.loseNext('reply', 'ahe_append_one_if_head');
    const first = await raise();
    await proxy.lost();
    const retry = await raise();
    // The command found the events it stored after the lost reply: it answers from them, as a replay.
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replay']).toBe('true');
    const [, raised] = (await api.http().get(`/v1/accounts/${accountId}/events`).expect(200)).body.items as Array<{ eventId: string; revision: number; globalPosition: number }>;
    expect(first.body).toEqual({ accountId, complaintId: expect.any(String), revision: raised!.revision, position: raised!.globalPosition, eventIds: [raised!.eventId] });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await typesOf(accountId)).toEqual(['AccountOpened', 'ComplaintRaised']);
    // Stored now: the next retry replays it as any answer, and another request with the key is refused.
    expect((await raise()).body).toEqual(retry.body);
    const other = await api.http().post(`/v1/accounts/${accountId}/complaints`).set('Idempotency-Key', `raise-${accountId}`).send({ ...complaint, severity: 'low' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  }, 60_000);

  it('a retry whose answer was never stored is answered from the events its key stored, or refused if it is another request', async () => {
    const accountId = await openAccount(api, freshAccountId('lost-answer'));
    const path = `/v1/accounts/${accountId}/complaints`;
    const complaint = { severity: 'high', category: 'outage', description: 'Down once more' };
    const first = await api.http().post(path).set('Idempotency-Key', `forgotten-${accountId}`).send(complaint).expect(201);
    await forgetAnswers();

    const other = await api.http().post(path).set('Idempotency-Key', `forgotten-${accountId}`).send({ ...complaint, severity: 'low' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    const retry = await api.http().post(path).set('Idempotency-Key', `forgotten-${accountId}`).send(complaint);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await typesOf(accountId)).toEqual(['AccountOpened', 'ComplaintRaised']);
  }, 60_000);

  it('a retry of a command decided anew (its instant now) whose answer was never stored is answered from the events of the first', async () => {
    const accountId = await openAccount(api, freshAccountId('redecided'));
    const path = `/v1/accounts/${accountId}/contacts`;
    const contact = { channel: 'call', direction: 'inbound', summary: 'Checking in' };
    const first = await api.http().post(path).set('Idempotency-Key', `redecided-${accountId}`).send(contact).expect(201);
    await forgetAnswers();

    // Decided again at another instant, the retry's event differs from the stored one under the same id.
    const retry = await api.http().post(path).set('Idempotency-Key', `redecided-${accountId}`).send(contact);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await typesOf(accountId)).toEqual(['AccountOpened', 'ContactLogged']);
  }, 60_000);
});
