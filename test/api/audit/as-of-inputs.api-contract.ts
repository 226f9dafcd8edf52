import { ERROR_SHAPE, freshAccountId, type RunningApi } from '../api-harness';
import { caughtUp } from '../queries/queries-harness';
import { as } from './as-of.harness';

/** Who may replay, what a bad question gets, and what is answered for an account that did not exist (yet). */
export function describeAsOfInputs(api: () => RunningApi): void {
  const accountId = freshAccountId('asof-in');
  const statePath = `/v1/accounts/${accountId}/state`;
  const healthPath = `/v1/health/${accountId}`;

  beforeAll(async () => {
    await as(api(), 'writer').post('/v1/accounts', {
      accountId, name: 'Inputs', segment: `seg-${accountId}`, managerId: 'mgr-in', currency: 'EUR', occurredAt: '2025-01-01T09:00:00Z',
    }).expect(201);
    await caughtUp(api());
  });

  it('lets auditors and admins replay, answers 403 naming the auditor role to the others, and 401 without a key', async () => {
    for (const role of ['auditor', 'admin'] as const) {
      await as(api(), role).get(`${statePath}?asOf=2025-06-01`).expect(200);
      await as(api(), role).get(`${healthPath}?asOf=2025-06-01`).expect(200);
    }
    for (const role of ['analyst', 'writer'] as const) {
      const state = await as(api(), role).get(statePath).expect(403);
      expect(state.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 403, message: expect.stringContaining('auditor') });
      const health = await as(api(), role).get(`${healthPath}?asOf=2025-06-01`).expect(403);
      expect(health.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 403, message: expect.stringContaining('auditor') });
    }
    // Live, the health route stays the analysts' (auditors may read it too); writers still may not.
    for (const role of ['analyst', 'auditor'] as const) await as(api(), role).get(healthPath).expect(200);
    await as(api(), 'writer').get(healthPath).expect(403);
    await api().http().get(statePath).expect(401);
    await api().http().get(`${healthPath}?asOf=2025-06-01`).expect(401);
    await api().http().get(statePath).set('Authorization', 'Bearer nobody-knows-me').expect(401);
  });

  it('answers 400 naming the parameter for a bad or future asOf, a bad axis, axis alone on health, or an unknown parameter', async () => {
    const bad: Array<[query: string, field: string]> = [
      ['asOf=yesterday', 'asOf'], ['asOf=2025-13-01', 'asOf'], ['asOf=2025-02-30', 'asOf'], ['asOf=2025-06-01T10:00:00%2B02:00', 'asOf'],
      ['asOf=2025-06-01T10:00:00', 'asOf'], ['asOf=1717236000000', 'asOf'], ['asOf=', 'asOf'], ['asOf=2999-01-01', 'asOf'],
      [`asOf=${new Date(Date.now() + 60_000).toISOString()}`, 'asOf'], ['axis=business', 'axis'], ['asOf=2025-06-01&axis=RECORDED', 'axis'],
      ['asOf=2025-06-01&asOf=2025-07-01', 'asOf'], ['asof=2025-06-01', 'asof'], ['asOf=2025-06-01&verbose=1', 'verbose'],
    ];
    for (const [query, field] of bad) {
      for (const path of [statePath, healthPath]) {
        // Health without asOf is the live route: a bad axis alone still names axis.
        const response = await as(api(), 'auditor').get(`${path}?${query}`);
        expect({ query, path, status: response.status }).toEqual({ query, path, status: 400 });
        expect(response.body).toMatchObject({ ...ERROR_SHAPE, statusCode: 400, field, message: expect.stringContaining(field) });
      }
    }
    const axisAlone = await as(api(), 'auditor').get(`${healthPath}?axis=recorded`).expect(400);
    expect(axisAlone.body).toMatchObject({ field: 'axis', message: expect.stringContaining('asOf') });
    await as(api(), 'auditor').get(`${statePath}?axis=recorded`).expect(200);
    expect((await as(api(), 'auditor').get(`/v1/accounts/${'x'.repeat(65)}/state`).expect(400)).body.field).toBe('accountId');
  });

  it('answers 404 for an unknown account, and 404 saying it did not exist yet before it was opened on the axis', async () => {
    const ghost = freshAccountId('asof-ghost');
    for (const path of [`/v1/accounts/${ghost}/state?asOf=2025-06-01`, `/v1/health/${ghost}?asOf=2025-06-01`]) {
      const response = await as(api(), 'auditor').get(path).expect(404);
      expect(response.body).toMatchObject({ ...ERROR_SHAPE, code: 'ACCOUNT_NOT_FOUND' });
    }
    for (const path of [statePath, healthPath]) {
      const early = await as(api(), 'auditor').get(`${path}?asOf=2024-12-31T23:59:59Z&axis=occurred`).expect(404);
      expect(early.body).toMatchObject({
        code: 'ACCOUNT_NOT_YET_OPENED', message: expect.stringContaining('did not exist yet'),
        details: { accountId, axis: 'occurred', asOf: '2024-12-31T23:59:59.000Z', existsFrom: '2025-01-01T09:00:00.000Z' },
      });
      // Opened on 2025-01-01 in business time, but only recorded today: unknown to the store back then.
      await as(api(), 'auditor').get(`${path}?asOf=2025-01-02&axis=occurred`).expect(200);
      const unrecorded = await as(api(), 'auditor').get(`${path}?asOf=2025-01-02&axis=recorded`).expect(404);
      expect(unrecorded.body).toMatchObject({ code: 'ACCOUNT_NOT_YET_OPENED', details: { axis: 'recorded', existsFrom: expect.any(String) } });
    }
    const opening = await as(api(), 'auditor').get(`${statePath}?asOf=2025-01-01T09:00:00Z`).expect(200);
    expect(opening.body).toMatchObject({ revision: 0, eventsFolded: 1, state: { exists: true, openedAt: '2025-01-01T09:00:00.000Z' } });
  });
}
