import { ERROR_SHAPE, openAccountBody, type RunningApi } from '../api-harness';
import { caughtUp } from '../queries/queries-harness';
import { importEscalations, type ImportedEscalation } from './escalations-api.harness';

type View = Record<string, any>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** GET /v1/escalations and its actions, on escalations imported into accounts of this suite's own managers. */
export function describeEscalationRoutes(api: () => RunningApi): void {
  const prefix = `er${Date.now().toString(36)}`;
  const [acme, globex, initech] = ['acme', 'globex', 'initech'].map((name) => `${prefix}-${name}`);
  const [mgrA, mgrB] = [`${prefix}-m0`, `${prefix}-m1`];
  const id = (n: number) => `${prefix}-e${n}`;
  const ESCALATIONS: ImportedEscalation[] = [
    { accountId: acme!, escalationId: id(1), rule: 'critical-complaint', occurredAt: '2025-02-01T09:00:00Z', severity: 'critical', dueAt: '2025-02-01T13:00:00Z', reason: 'Critical complaint: outage' },
    { accountId: acme!, escalationId: id(2), rule: 'band-red', occurredAt: '2025-02-03T09:00:00Z' },
    { accountId: globex!, escalationId: id(3), rule: 'invoice-overdue', occurredAt: '2025-02-03T09:00:00Z' },
    { accountId: globex!, escalationId: id(4), rule: 'complaint-sla-breach', occurredAt: '2025-02-04T09:00:00Z', severity: 'high' },
    { accountId: initech!, escalationId: id(5), rule: 'satisfaction-drop', occurredAt: '2025-02-05T09:00:00Z' },
    { accountId: acme!, escalationId: id(6), rule: 'invoice-overdue', occurredAt: '2025-02-06T09:00:00Z' },
    { accountId: initech!, escalationId: id(7), rule: 'band-red', occurredAt: '2025-02-07T09:00:00Z' },
  ];
  const byNewest = [...ESCALATIONS].sort((a, b) => (a.occurredAt === b.occurredAt ? (a.escalationId < b.escalationId ? 1 : -1) : a.occurredAt < b.occurredAt ? 1 : -1));
  const idsOf = (items: readonly View[]) => items.map((item) => item.escalationId as string);
  const list = (query: string) => api().http().get(`/v1/escalations?${query}`);
  const acknowledge = (escalationId: string, body: object = {}) => api().http().post(`/v1/escalations/${escalationId}/acknowledgement`).send(body);
  const resolve = (escalationId: string, body: object = { resolution: 'Customer confirmed the fix' }) => api().http().post(`/v1/escalations/${escalationId}/resolution`).send(body);
  const revisionOf = (accountId: string) => api().store.streamRevision(`account-${accountId}`);

  beforeAll(async () => {
    for (const [accountId, managerId] of [[acme, mgrA], [globex, mgrA], [initech, mgrB]] as const) {
      await api().http().post('/v1/accounts').send(openAccountBody(accountId!, { managerId, name: `${accountId} Corp`, segment: 'mid-market' })).expect(201);
    }
    await importEscalations(api(), ESCALATIONS);
    await caughtUp(api());
  }, 120_000);

  describe('GET /v1/escalations', () => {
    it('lists newest first with every field of the read model', async () => {
      const { body } = await list(`accountId=${acme}`).expect(200);
      expect(idsOf(body.items)).toEqual([id(6), id(2), id(1)]);
      expect(body.nextCursor).toBeNull();
      const [first] = (await api().store.readStream(`account-${acme}`, { fromRevision: 1 })).filter((event) => event.type === 'EscalationOpened');
      expect(body.items[2]).toEqual({
        escalationId: id(1), accountId: acme, accountName: `${acme} Corp`, managerId: mgrA, segment: 'mid-market',
        rule: 'critical-complaint', reason: 'Critical complaint: outage', severity: 'critical', status: 'open',
        triggeringEventId: `trigger-${id(1)}`, dueAt: '2025-02-01T13:00:00.000Z', createdAt: '2025-02-01T09:00:00.000Z',
        acknowledgedAt: null, acknowledgedBy: null, acknowledgementNote: null, resolvedAt: null, resolution: null,
        position: first!.globalPosition, updatedAt: first!.recordedAt,
      });
      expect(body.items[1]).toMatchObject({ severity: null, dueAt: null });
    });

    it('pages with limit and cursor, every escalation once, the next page in Link and X-Next-Cursor', async () => {
      const seen: View[] = [];
      let path = `/v1/escalations?managerId=${mgrA}&limit=2`;
      for (let pages = 0; pages < 10; pages++) {
        const response = await api().http().get(path).expect(200);
        seen.push(...response.body.items);
        if (response.body.nextCursor === null) break;
        expect(response.body.items).toHaveLength(2);
        expect(response.headers['x-next-cursor']).toBe(response.body.nextCursor);
        const link = /^<([^>]+)>; rel="next"$/.exec(response.headers.link as string);
        expect(link![1]).toBe(`/v1/escalations?managerId=${mgrA}&limit=2&cursor=${response.body.nextCursor}`);
        path = link![1]!;
      }
      expect(idsOf(seen)).toEqual(byNewest.filter((e) => e.accountId !== initech).map((e) => e.escalationId));
    });

    it.each([
      ['rule', (p: string) => `rule=band-red&accountId=${p}-initech`, [7]],
      ['managerId', () => `managerId=${mgrB}`, [7, 5]],
      ['rule and managerId', () => `rule=invoice-overdue&managerId=${mgrA}`, [6, 3]],
    ])('filters by %s', async (_name, query, expected) => {
      const { body } = await list(query(prefix)).expect(200);
      expect(idsOf(body.items)).toEqual(expected.map(id));
    });

    it.each([
      ['status', 'status=closed', 'status'],
      ['limit', 'limit=0', 'limit'],
      ['limit', 'limit=1001', 'limit'],
      ['limit', 'limit=ten', 'limit'],
      ['rule', 'rule=band-blue', 'rule'],
      ['accountId', 'accountId=not%20an%20id', 'accountId'],
      ['cursor', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['an unknown parameter', 'sort=-createdAt', 'sort'],
    ])('answers 400 naming %s', async (_name, query, field) => {
      const response = await list(query).expect(400);
      expect(response.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 400, field });
      expect(response.body.message).toMatch(field);
    });
  });

  describe('GET /v1/escalations/:escalationId', () => {
    it('answers the item as the list does, 404 for an unknown id, 400 for a malformed one', async () => {
      const { body: page } = await list(`managerId=${mgrB}`).expect(200);
      await api().http().get(`/v1/escalations/${id(5)}`).expect(200).expect(({ body }) => expect(body).toEqual(page.items[1]));
      const missing = await api().http().get(`/v1/escalations/${prefix}-nope`).expect(404);
      expect(missing.body).toMatchObject({ ...ERROR_SHAPE, code: 'ESCALATION_NOT_FOUND', field: 'escalationId', message: expect.stringContaining(`${prefix}-nope`) });
      expect((await api().http().get('/v1/escalations/bad%20id').expect(400)).body.field).toBe('escalationId');
      expect((await api().http().get(`/v1/escalations/${id(5)}?asOf=2025-01-01`).expect(400)).body.field).toBe('asOf');
    });
  });

  describe('POST /v1/escalations/:escalationId/acknowledgement and /resolution', () => {
    it('acknowledges: 201 with the new revision, EscalationAcknowledged by the caller, the row acknowledged', async () => {
      const before = await revisionOf(acme!);
      const response = await acknowledge(id(1), { note: 'Calling them now', occurredAt: '2025-02-01T10:00:00Z' }).expect(201);
      expect(response.body).toEqual({ accountId: acme, escalationId: id(1), revision: before + 1, position: expect.any(Number), eventIds: [expect.stringMatching(UUID)] });
      expect(response.headers.etag).toBe(`"${before + 1}"`);
      const [event] = await api().store.readStream(`account-${acme}`, { fromRevision: before + 1 });
      expect(event).toMatchObject({ eventId: response.body.eventIds[0], type: 'EscalationAcknowledged', occurredAt: '2025-02-01T10:00:00.000Z', data: { escalationId: id(1), by: 'anonymous', note: 'Calling them now' } });
      await caughtUp(api());
      const { body } = await api().http().get(`/v1/escalations/${id(1)}`).expect(200);
      expect(body).toMatchObject({ status: 'acknowledged', acknowledgedAt: '2025-02-01T10:00:00.000Z', acknowledgedBy: 'anonymous', acknowledgementNote: 'Calling them now', position: response.body.position });
      expect(idsOf((await list(`status=acknowledged&accountId=${acme}`).expect(200)).body.items)).toEqual([id(1)]);
    });

    it('acknowledges with no body at all, then refuses a second acknowledgement with 409 and appends nothing', async () => {
      const bodiless = await api().http().post(`/v1/escalations/${id(2)}/acknowledgement`).expect(201);
      expect(bodiless.body).toMatchObject({ accountId: acme, escalationId: id(2) });
      const before = await revisionOf(acme!);
      const again = await acknowledge(id(2)).expect(409);
      expect(again.body).toMatchObject({ ...ERROR_SHAPE, code: 'ESCALATION_ALREADY_ACKNOWLEDGED', field: 'escalationId' });
      expect(await revisionOf(acme!)).toBe(before);
    });

    it('resolves an acknowledged escalation, then refuses to resolve or acknowledge it again', async () => {
      await acknowledge(id(3)).expect(201);
      const response = await resolve(id(3), { resolution: 'Invoice paid in full' }).expect(201);
      expect(response.body).toMatchObject({ accountId: globex, escalationId: id(3) });
      const [event] = await api().store.readStream(`account-${globex}`, { fromRevision: response.body.revision });
      expect(event).toMatchObject({ type: 'EscalationResolved', data: { escalationId: id(3), resolution: 'Invoice paid in full' } });
      const before = await revisionOf(globex!);
      expect((await resolve(id(3)).expect(409)).body.code).toBe('ESCALATION_ALREADY_RESOLVED');
      expect((await acknowledge(id(3)).expect(409)).body.code).toBe('ESCALATION_ALREADY_RESOLVED');
      expect(await revisionOf(globex!)).toBe(before);
      await caughtUp(api());
      expect((await api().http().get(`/v1/escalations/${id(3)}`).expect(200)).body).toMatchObject({ status: 'resolved', resolution: 'Invoice paid in full', acknowledgedBy: 'anonymous' });
    });

    it('resolves an open escalation without an acknowledgement', async () => {
      await resolve(id(4)).expect(201);
      await caughtUp(api());
      expect((await api().http().get(`/v1/escalations/${id(4)}`).expect(200)).body).toMatchObject({ status: 'resolved', acknowledgedAt: null });
      expect(idsOf((await list(`status=resolved&managerId=${mgrA}`).expect(200)).body.items)).toEqual([id(4), id(3)]);
    });

    it('answers 404 naming an unknown escalation, and appends nothing anywhere', async () => {
      const response = await acknowledge(`${prefix}-ghost`).expect(404);
      expect(response.body).toMatchObject({ code: 'ESCALATION_NOT_FOUND', message: expect.stringContaining(`${prefix}-ghost`) });
      expect((await resolve(`${prefix}-ghost`).expect(404)).body.code).toBe('ESCALATION_NOT_FOUND');
    });

    it.each([
      ['a missing resolution', 'resolution', {}, 'resolution'],
      ['a blank resolution', 'resolution', { resolution: '   ' }, 'resolution'],
      ['a note too long', 'acknowledgement', { note: 'x'.repeat(2_001) }, 'note'],
      ['an unknown field', 'acknowledgement', { by: 'someone-else' }, 'by'],
      ['a future occurredAt', 'acknowledgement', { occurredAt: '2999-01-01T00:00:00Z' }, 'occurredAt'],
    ])('answers 400 for %s and appends nothing', async (_name, action, body, field) => {
      const before = await revisionOf(initech!);
      const response = await api().http().post(`/v1/escalations/${id(7)}/${action}`).send(body).expect(400);
      expect(response.body).toMatchObject({ ...ERROR_SHAPE, field });
      expect(await revisionOf(initech!)).toBe(before);
    });

    it('replays an Idempotency-Key and honours If-Match', async () => {
      const stale = await revisionOf(initech!);
      await api().http().post('/v1/accounts/' + initech + '/contacts').send({ channel: 'call', direction: 'outbound', summary: 'Checking in' }).expect(201);
      const conflict = await acknowledge(id(5)).set('If-Match', String(stale)).expect(409);
      expect(conflict.body.code).toBe('WRONG_EXPECTED_REVISION');
      const first = await acknowledge(id(5), { note: 'Once' }).set('Idempotency-Key', `${prefix}-ack-5`).expect(201);
      const again = await acknowledge(id(5), { note: 'Once' }).set('Idempotency-Key', `${prefix}-ack-5`).expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replay']).toBe('true');
      expect(await revisionOf(initech!)).toBe(first.body.revision);
    });
  });
}
