import { LtvModelsAsOfCache } from '../../../apps/api/src/audit/as-of/ltv-models-as-of.cache';
import { freshAccountId, type RunningApi } from '../api-harness';
import { caughtUp } from '../queries/queries-harness';
import { as, sleep } from './as-of.harness';

type Body = Record<string, any>;

/** The as-of answer without what only the as-of form adds. */
const liveShapeOf = ({ asOf: _asOf, axis: _axis, ltvFit: _ltvFit, ...view }: Body): Body => view;

/**
 * State and health as of past instants agree with what the live routes answered at those
 * instants, and a back-dated event moves the occurred axis but not the recorded one.
 * Each account has a segment of its own, so no sBG fit of another test's renewals reaches it.
 */
export function describeAsOfReplay(api: () => RunningApi): void {
  const writer = () => as(api(), 'writer');
  const auditor = () => as(api(), 'auditor');
  const openAccount = async (accountId: string, occurredAt: string) => {
    await writer().post('/v1/accounts', {
      accountId, name: `As-of ${accountId}`, segment: `seg-${accountId}`, managerId: 'mgr-asof', currency: 'EUR', occurredAt,
      contract: { startsOn: '2025-01-01', endsOn: '2027-12-31', annualValue: 60_000_00 },
    }).expect(201);
  };

  it('answers, as of each instant the live routes were read at, what they answered then', async () => {
    const accountId = freshAccountId('asof-live');
    const path = `/v1/accounts/${accountId}`;
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const steps: Array<() => Promise<unknown>> = [
      () => openAccount(accountId, '2025-01-01T09:00:00Z'),
      () => writer().post(`${path}/contacts`, { channel: 'call', direction: 'outbound', summary: 'Kick-off', sentiment: 0.5 }).expect(201),
      () => writer().post(`${path}/complaints`, { complaintId: 'c1', severity: 'high', category: 'outage', description: 'Down' }).expect(201),
      () => writer().post(`${path}/surveys`, { kind: 'csat', score: 2 }).expect(201),
      () => writer().post(`${path}/invoices`, { invoiceId: 'i1', amount: 5_000_00, dueOn: day(10), occurredAt: `${day(40)}T10:00:00Z` }).expect(201),
      () => writer().post(`${path}/invoices/i1/payments`, { amount: 2_000_00 }).expect(201),
      () => writer().post(`${path}/complaints/c1/resolution`, { resolution: 'Restored' }).expect(201),
      () => writer().post(`${path}/surveys`, { kind: 'nps', score: 9 }).expect(201),
    ];
    const seen: Array<{ health: Body; state: Body }> = [];
    for (const step of steps) {
      await step();
      await caughtUp(api());
      const { body: health } = await as(api(), 'analyst').get(`/v1/health/${accountId}`).expect(200);
      const { body: state } = await auditor().get(`${path}/state`).expect(200);
      seen.push({ health, state });
      await sleep(3);
    }
    expect(new Set(seen.map(({ health }) => health.churnRisk)).size).toBeGreaterThan(1);

    for (const [index, { health, state }] of seen.entries()) {
      const replayed = await auditor().get(`/v1/health/${accountId}?asOf=${health.scoredAt}&axis=recorded`).expect(200);
      expect(replayed.body).toMatchObject({ asOf: health.scoredAt, axis: 'recorded' });
      expect(liveShapeOf(replayed.body)).toEqual(health);
      const stateThen = await auditor().get(`${path}/state?asOf=${state.asOf}&axis=recorded`).expect(200);
      expect(stateThen.body).toEqual({ ...state, axis: 'recorded' });
      expect(stateThen.body).toMatchObject({ revision: index, eventsFolded: index + 1, position: health.position });
    }
    const last = seen.at(-1)!.state;
    expect(last.state).toMatchObject({
      exists: true, name: `As-of ${accountId}`, openComplaints: {}, resolvedComplaintIds: ['c1'],
      invoices: { i1: { amount: 5_000_00, paid: 2_000_00 } },
    });
  });

  it('moves the occurred axis after a back-dated event occurred, and leaves the recorded axis before its recording alone', async () => {
    const accountId = freshAccountId('asof-back');
    const path = `/v1/accounts/${accountId}`;
    await openAccount(accountId, '2025-01-01T09:00:00Z');
    await writer().post(`${path}/contacts`, { channel: 'email', direction: 'inbound', summary: 'Hello' }).expect(201);
    await sleep(3);
    const beforeRecording = new Date().toISOString();
    await sleep(3);
    const readAll = async () => ({
      stateBeforeIt: (await auditor().get(`${path}/state?asOf=2025-02-01T00:00:00Z`).expect(200)).body,
      stateAfterIt: (await auditor().get(`${path}/state?asOf=2025-04-01T00:00:00Z&axis=occurred`).expect(200)).body,
      healthAfterIt: (await auditor().get(`/v1/health/${accountId}?asOf=2025-04-01T00:00:00Z`).expect(200)).body,
      stateRecorded: (await auditor().get(`${path}/state?asOf=${beforeRecording}&axis=recorded`).expect(200)).body,
      healthRecorded: (await auditor().get(`/v1/health/${accountId}?asOf=${beforeRecording}&axis=recorded`).expect(200)).body,
    });
    const before = await readAll();
    expect(before.stateAfterIt.state.openComplaints).toEqual({});

    const backDated = await writer().post(`${path}/complaints`, {
      complaintId: 'late', severity: 'high', category: 'billing', description: 'Logged weeks later', occurredAt: '2025-03-01T10:00:00Z',
    }).expect(201);
    const after = await readAll();

    expect(after.stateAfterIt.state.openComplaints).toEqual({ late: expect.objectContaining({ severity: 'high', raisedAt: '2025-03-01T10:00:00.000Z' }) });
    expect(after.stateAfterIt).toMatchObject({ revision: backDated.body.revision, eventsFolded: 2, position: backDated.body.position });
    expect(after.healthAfterIt.openComplaints).toBe(1);
    expect(after.healthAfterIt.churnRisk).toBeGreaterThan(before.healthAfterIt.churnRisk);
    expect(after.stateBeforeIt).toEqual(before.stateBeforeIt);
    expect(after.stateRecorded).toEqual(before.stateRecorded);
    // ltvFit names the portfolio's fit, which a busy PostgreSQL may first compute without events another open transaction still hides.
    expect(liveShapeOf(after.healthRecorded)).toEqual(liveShapeOf(before.healthRecorded));
    expect(after.healthRecorded.openComplaints).toBe(0);
    const now = (await auditor().get(`${path}/state?axis=recorded`).expect(200)).body;
    expect(now.state.openComplaints).toHaveProperty(['late']);
  });

  it('answers for a closed account as of before and after its closure', async () => {
    const accountId = freshAccountId('asof-closed');
    const path = `/v1/accounts/${accountId}`;
    await openAccount(accountId, '2025-01-01T09:00:00Z');
    await writer().post(`${path}/closure`, { reason: 'Merged', occurredAt: '2025-05-01T00:00:00Z' }).expect(201);
    const open = await auditor().get(`/v1/health/${accountId}?asOf=2025-04-30T00:00:00Z`).expect(200);
    expect(open.body).toMatchObject({ status: 'open', scoredAt: '2025-04-30T00:00:00.000Z', ltvFit: expect.any(String) });
    const closed = await auditor().get(`/v1/health/${accountId}?asOf=2025-06-01`).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', scoredAt: '2025-05-01T00:00:00.000Z', asOf: '2025-06-01T00:00:00.000Z', ltvFit: null });
    const state = await auditor().get(`${path}/state?asOf=2025-06-01`).expect(200);
    expect(state.body.state).toMatchObject({ closed: true, closedAt: '2025-05-01T00:00:00.000Z' });
  });

  it('fits the LTV models once per instant and axis, dropping a fit only for an appended event that counts at its instant', async () => {
    const accountId = freshAccountId('asof-fit');
    const { body: opened } = await writer().post('/v1/accounts', {
      accountId, name: 'Fit', segment: `seg-${accountId}`, managerId: 'mgr-asof', currency: 'EUR', occurredAt: '2025-01-01T09:00:00Z',
    }).expect(201);
    const fits = api().app.get(LtvModelsAsOfCache);
    // The log shows a commit once no older transaction of the server is open (ADR 0002): wait for
    // ours, so that the next request's catch-up meets it.
    const showing = async (position: number) => {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
        for (let batch = await api().store.readAll({ limit: 5_000 }); batch.events.length > 0; batch = await api().store.readAll({ after: batch.checkpoint, limit: 5_000 })) {
          if (batch.events.some((event) => event.globalPosition >= position)) return;
        }
      }
      throw new Error(`the log never showed position ${position}`);
    };
    const contactAt = (occurredAt: string) => writer().post(`/v1/accounts/${accountId}/contacts`, {
      channel: 'chat', direction: 'inbound', summary: 'Hi', occurredAt,
    }).expect(201);
    await showing(opened.position);
    const occurred = { at: new Date('2025-03-01T00:00:00Z'), axis: 'occurred' as const };
    const first = await fits.modelsAsOf(occurred);
    expect(first.position).toBeGreaterThanOrEqual(opened.position);
    expect(await fits.modelsAsOf({ ...occurred, at: new Date(occurred.at) })).toBe(first);
    const recordedAsOf = { at: new Date(), axis: 'recorded' as const };
    const recorded = await fits.modelsAsOf(recordedAsOf);
    expect(recorded).not.toBe(first);
    expect(recorded.axis).toBe('recorded');
    const health = await auditor().get(`/v1/health/${accountId}?asOf=${occurred.at.toISOString()}`).expect(200);
    expect(health.body).toMatchObject({ ltvFit: first.fitId, ltv: { model: 'none', expected: 0 } });

    // Occurred after the instant: it does not count there, so the fit stands.
    const { body: later } = await contactAt('2025-04-01T00:00:00Z');
    await showing(later.position);
    expect(await fits.modelsAsOf(occurred)).toBe(first);
    expect(await fits.modelsAsOf(recordedAsOf)).toBe(recorded);

    // Back-dated before it: it counts on the occurred axis, which refits; recorded after the
    // recorded-axis instant, it leaves that fit alone.
    const { body: backDated } = await contactAt('2025-02-01T00:00:00Z');
    await showing(backDated.position);
    const refitted = await fits.modelsAsOf(occurred);
    expect(refitted).not.toBe(first);
    expect(refitted.position).toBeGreaterThanOrEqual(backDated.position);
    expect(await fits.modelsAsOf(occurred)).toBe(refitted);
    expect(await fits.modelsAsOf(recordedAsOf)).toBe(recorded);
  });
}
