import { ERROR_SHAPE, freshAccountId, openAccountBody } from '../api-harness';
import { API_KEYS_ENV, AS_OF_KEYS } from './as-of.harness';
import { appendContacts, startAuditApi, type AuditApi } from './trail.harness';

jest.setTimeout(60_000);

/** GET /v1/accounts/:accountId/events pages the log itself: a head row changed behind the engine's back hides nothing. */
describe('the events route of a stream whose head row was changed, on PostgreSQL', () => {
  let api: AuditApi;
  beforeAll(async () => (api = await startAuditApi('postgres', API_KEYS_ENV)));
  afterAll(() => api?.close());

  const get = (path: string) => api.http().get(path).set('Authorization', `Bearer ${AS_OF_KEYS.auditor}`);
  const revisions = (body: { items: { revision: number }[] }) => body.items.map((event) => event.revision);

  /** An account of ten events: its opening and nine contacts. */
  const tenEvents = async (label: string): Promise<string> => {
    const accountId = freshAccountId(label);
    await api.http().post('/v1/accounts').set('Authorization', `Bearer ${AS_OF_KEYS.writer}`).send(openAccountBody(accountId)).expect(201);
    await appendContacts(api.store, accountId, 9);
    return accountId;
  };

  it('lists every event when the head row was deleted, as /verify and /export still answer', async () => {
    const accountId = await tenEvents('events-headless');
    await api.behindTheEngine('DELETE FROM event_streams WHERE stream_id = $1', [`account-${accountId}`]);
    const all = await get(`/v1/accounts/${accountId}/events`).expect(200);
    expect({ revisions: revisions(all.body), nextRevision: all.body.nextRevision }).toEqual({ revisions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], nextRevision: null });
    const paged = await get(`/v1/accounts/${accountId}/events?fromRevision=8&limit=1`).expect(200);
    expect({ revisions: revisions(paged.body), nextRevision: paged.body.nextRevision }).toEqual({ revisions: [8], nextRevision: 9 });
    await get(`/v1/accounts/${accountId}/verify`).expect(200);
    await get(`/v1/accounts/${accountId}/export`).expect(200);
    const past = await get(`/v1/accounts/${accountId}/events?fromRevision=10`).expect(200);
    expect(past.body).toEqual({ items: [], nextRevision: null });
    const unknown = await get(`/v1/accounts/${freshAccountId('events-ghost')}/events?fromRevision=3`).expect(404);
    expect(unknown.body).toMatchObject({ ...ERROR_SHAPE, code: 'ACCOUNT_NOT_FOUND' });
  });

  it('pages past a head row set back to revision 2, to the last event of the log', async () => {
    const accountId = await tenEvents('events-behind');
    await api.behindTheEngine('UPDATE event_streams SET revision = 2 WHERE stream_id = $1', [`account-${accountId}`]);
    const first = await get(`/v1/accounts/${accountId}/events?limit=5`).expect(200);
    expect({ revisions: revisions(first.body), nextRevision: first.body.nextRevision }).toEqual({ revisions: [0, 1, 2, 3, 4], nextRevision: 5 });
    const second = await get(`/v1/accounts/${accountId}/events?fromRevision=5&limit=5`).expect(200);
    expect({ revisions: revisions(second.body), nextRevision: second.body.nextRevision }).toEqual({ revisions: [5, 6, 7, 8, 9], nextRevision: null });
    const rest = await get(`/v1/accounts/${accountId}/events?fromRevision=5`).expect(200);
    expect(revisions(rest.body)).toEqual([5, 6, 7, 8, 9]);
  });
});
