import { AsOfModule } from '../../../apps/api/src/audit/as-of/as-of.module';
import { ERROR_SHAPE, freshAccountId, openAccountBody } from '../api-harness';
import { appendLongStream } from './as-of-long-stream.api-contract';
import { API_KEYS_ENV, AS_OF_KEYS } from './as-of.harness';
import { startAuditApi, type AuditApi } from './trail.harness';

jest.setTimeout(120_000);

/** A stream changed with plain SQL behind the engine's back: the as-of routes refuse with 409, never a 500. */
describe('as-of state and health of a broken stream, on PostgreSQL', () => {
  let api: AuditApi;
  beforeAll(async () => (api = await startAuditApi('postgres', API_KEYS_ENV, [AsOfModule])));
  afterAll(() => api?.close());

  const get = (path: string) => api.http().get(path).set('Authorization', `Bearer ${AS_OF_KEYS.auditor}`);
  const expectBroken = async (accountId: string, revision: number) => {
    const asOf = new Date().toISOString();
    for (const path of [`/v1/accounts/${accountId}/state`, `/v1/health/${accountId}?asOf=${asOf}`]) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 409 });
      expect(response.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 409, error: 'Conflict', code: 'STREAM_BROKEN', details: { accountId, revision } });
      expect(response.body.message).toContain(`at revision ${revision}`);
      expect(response.body.message).toContain(`GET /v1/accounts/${accountId}/verify`);
    }
  };

  /** An account opened with two contacts logged: revisions 0 to 2. */
  const threeEvents = async (label: string): Promise<string> => {
    const accountId = freshAccountId(label);
    const writer = { Authorization: `Bearer ${AS_OF_KEYS.writer}` };
    await api.http().post('/v1/accounts').set(writer).send(openAccountBody(accountId)).expect(201);
    for (const summary of ['one', 'two']) {
      await api.http().post(`/v1/accounts/${accountId}/contacts`).set(writer).send({ channel: 'chat', direction: 'inbound', summary }).expect(201);
    }
    expect((await get(`/v1/accounts/${accountId}/state`).expect(200)).body).toMatchObject({ revision: 2, eventsFolded: 3 });
    return accountId;
  };

  it('answers 409 STREAM_BROKEN naming revision 0 when the AccountOpened row was deleted', async () => {
    const accountId = await threeEvents('broken-opening');
    await api.behindTheEngine('DELETE FROM events WHERE stream_id = $1 AND revision = 0', [`account-${accountId}`]);
    await expectBroken(accountId, 0);
  });

  it('answers 409 STREAM_BROKEN naming the missing revision of a stream long enough for snapshots', async () => {
    const accountId = freshAccountId('broken-long');
    await appendLongStream(api.store, accountId, 2_100);
    await api.behindTheEngine('DELETE FROM events WHERE stream_id = $1 AND revision = 1500', [`account-${accountId}`]);
    await expectBroken(accountId, 1_500);
  });

  it('answers 409 STREAM_BROKEN naming a revision deleted from a stream too short for snapshots', async () => {
    const accountId = await threeEvents('broken-short');
    const [opened] = await api.store.readStream(`account-${accountId}`, { limit: 1 });
    await api.behindTheEngine('DELETE FROM events WHERE stream_id = $1 AND revision = 1', [`account-${accountId}`]);
    await expectBroken(accountId, 1);
    // Before the contacts were recorded the deleted one need not have counted, but nothing says it did not.
    const beforeContacts = await get(`/v1/accounts/${accountId}/state?asOf=${opened!.recordedAt}&axis=recorded`);
    expect({ status: beforeContacts.status, details: beforeContacts.body.details }).toEqual({ status: 409, details: expect.objectContaining({ revision: 1 }) });
  });

  it('answers 409 STREAM_BROKEN naming a revision deleted after the last snapshot of a long stream', async () => {
    const accountId = freshAccountId('broken-tail');
    await appendLongStream(api.store, accountId, 2_100);
    await api.behindTheEngine('DELETE FROM events WHERE stream_id = $1 AND revision = 2050', [`account-${accountId}`]);
    await expectBroken(accountId, 2_050);
  });

  it('answers 409 STREAM_BROKEN when the last events were deleted and the head row still names them', async () => {
    const accountId = await threeEvents('broken-end');
    await api.behindTheEngine('DELETE FROM events WHERE stream_id = $1 AND revision = 2', [`account-${accountId}`]);
    await expectBroken(accountId, 2);
    const state = await get(`/v1/accounts/${accountId}/state`);
    expect(state.body.message).toContain("revision 2 is missing: the log ends before it, though the stream's head is revision 2");
  });

  it('folds the log when the head row was deleted: the events are still there', async () => {
    const accountId = await threeEvents('headless');
    await api.behindTheEngine('DELETE FROM event_streams WHERE stream_id = $1', [`account-${accountId}`]);
    expect((await get(`/v1/accounts/${accountId}/state`).expect(200)).body).toMatchObject({ revision: 2, eventsFolded: 3 });
  });
});
