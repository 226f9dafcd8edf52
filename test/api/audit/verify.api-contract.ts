import { ERROR_SHAPE, freshAccountId, openAccount } from '../api-harness';
import { appendContacts, type AuditApi } from './trail.harness';

/** GET /v1/accounts/:accountId/verify: the hash chain walked, the first broken revision named. */
export function describeVerifyRoute(api: () => AuditApi): void {
  async function accountWithSurveys(surveys: number): Promise<string> {
    const accountId = await openAccount(api());
    for (let score = 1; score <= surveys; score++) {
      await api().http().post(`/v1/accounts/${accountId}/surveys`).send({ kind: 'csat', score }).expect(201);
    }
    return accountId;
  }
  const verify = (accountId: string) => api().http().get(`/v1/accounts/${accountId}/verify`);

  it('answers ok with the number of events checked for an intact stream', async () => {
    const accountId = await accountWithSurveys(4);
    const response = await verify(accountId).expect(200);
    expect(response.body).toEqual({ ok: true, checked: 5 });
    expect((await api().http().get(`/v1/accounts/${accountId}/events`).expect(200)).body.items).toHaveLength(5);
  });

  it('walks a stream longer than a page of the store', async () => {
    const accountId = freshAccountId('long');
    await appendContacts(api().store, accountId, 2_345);
    expect((await verify(accountId).expect(200)).body).toEqual({ ok: true, checked: 2_345 });
  });

  it("names the revision whose data was changed with plain SQL behind the engine's back", async () => {
    const accountId = await accountWithSurveys(4);
    await api().behindTheEngine(
      `UPDATE events SET data = jsonb_set(data, '{score}', '5') WHERE stream_id = $1 AND revision = 2`,
      [`account-${accountId}`],
    );
    const response = await verify(accountId).expect(200);
    expect(response.body).toEqual({ ok: false, checked: 3, brokenAt: 2, reason: 'content does not match its hash' });
  });

  it('names the revision whose metadata was changed, the first of two', async () => {
    const accountId = await accountWithSurveys(4);
    const stream = `account-${accountId}`;
    await api().behindTheEngine(`UPDATE events SET metadata = metadata || '{"actor":"writer:mallory"}' WHERE stream_id = $1 AND revision = 1`, [stream]);
    await api().behindTheEngine(`UPDATE events SET occurred_at = occurred_at - interval '1 day' WHERE stream_id = $1 AND revision = 3`, [stream]);
    expect((await verify(accountId).expect(200)).body).toMatchObject({ ok: false, checked: 2, brokenAt: 1 });
  });

  it('names a deleted revision, and still answers (not 404) for a stream whose head row was deleted', async () => {
    const gap = await accountWithSurveys(3);
    await api().behindTheEngine('DELETE FROM events WHERE stream_id = $1 AND revision = 2', [`account-${gap}`]);
    expect((await verify(gap).expect(200)).body).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringContaining('revision 2 is missing') });

    const headless = await accountWithSurveys(1);
    await api().behindTheEngine('DELETE FROM event_streams WHERE stream_id = $1', [`account-${headless}`]);
    expect((await verify(headless).expect(200)).body).toMatchObject({ ok: false, brokenAt: 0, reason: 'the stream head is missing' });
  });

  it('names a row written at a negative revision, which the table refuses unless its check is dropped first', async () => {
    const accountId = await accountWithSurveys(2);
    const stream = `account-${accountId}`;
    // A copy of the account's first event into stream $1 at revision -1.
    const copyFirstEventToMinusOne = `
      INSERT INTO events (stream_id, revision, event_id, type, schema_version, occurred_at, recorded_at, data, metadata)
      SELECT $1::text, -1, gen_random_uuid(), type, schema_version, occurred_at, recorded_at, data, metadata
      FROM events WHERE stream_id = $2 AND revision = 0`;
    await expect(api().behindTheEngine(copyFirstEventToMinusOne, [stream, stream])).rejects.toThrow(/events_revision_not_negative/);

    // An attacker with DDL rights; the check comes back NOT VALID, as on a database that held such a row before it existed.
    const headless = `account-${freshAccountId('negative')}`;
    await api().behindTheEngine('ALTER TABLE events DROP CONSTRAINT events_revision_not_negative');
    await api().behindTheEngine(copyFirstEventToMinusOne, [stream, stream]);
    await api().behindTheEngine(copyFirstEventToMinusOne, [headless, stream]);
    await api().behindTheEngine('ALTER TABLE events ADD CONSTRAINT events_revision_not_negative CHECK (revision >= 0) NOT VALID');

    const reason = 'revision -1 is negative: a stream begins at revision 0';
    expect((await verify(accountId).expect(200)).body).toEqual({ ok: false, checked: 1, brokenAt: -1, reason });
    // Only a negative row and no head: the route has no account to answer for, the store still names the row.
    expect(await api().store.verifyStream(headless)).toEqual({ ok: false, checked: 1, brokenAt: -1, reason });
  });

  it('answers 404 for an unknown account and 400 naming a bad account id or parameter', async () => {
    const unknown = await verify(freshAccountId('ghost')).expect(404);
    expect(unknown.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 404, code: 'ACCOUNT_NOT_FOUND' });
    const badId = await verify('not%20an%20id').expect(400);
    expect(badId.body.message).toContain('accountId');
    const accountId = await accountWithSurveys(0);
    const extra = await api().http().get(`/v1/accounts/${accountId}/verify?fromRevision=3`).expect(400);
    expect(extra.body).toMatchObject({ statusCode: 400, field: 'fromRevision' });
  });
}
