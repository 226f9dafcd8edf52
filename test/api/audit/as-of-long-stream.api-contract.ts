import type { EventStore, NewEvent } from '@ahe/event-store';
import { foldAccountAsOf, type TimeAxis } from '@ahe/read-models';
import type { Backend, RunningApi } from '../api-harness';
import { describeSnapshotPolicy } from './as-of-snapshots.api-contract';
import { API_KEYS_ENV, as, startAsOfApi } from './as-of.harness';

const EVENTS = 10_000;
const BATCH = 1_000;
const OPENED_MS = Date.parse('2025-01-01T09:00:00Z');
const STEP_MS = 20 * 60_000;
const occurredAt = (revision: number) => new Date(OPENED_MS + revision * STEP_MS);
const dateAfter = (revision: number, days: number) => new Date(occurredAt(revision).getTime() + days * 86_400_000).toISOString().slice(0, 10);
const csatAt = (revision: number) => 1 + (Math.floor(revision / 10) % 5);

/**
 * One account of 10,000 events on a ten-event cycle: an invoice issued then paid, four contacts,
 * a survey, a complaint raised then resolved, a contact. What a fold must find at any cut is
 * known from the cycle alone.
 */
function eventAt(revision: number): NewEvent {
  const at = occurredAt(revision);
  const event = (type: string, data: object): NewEvent => ({ type, schemaVersion: type === 'ComplaintRaised' ? 2 : 1, occurredAt: at, data });
  if (revision === 0) {
    return event('AccountOpened', {
      name: 'Long stream', segment: 'long-stream', managerId: 'mgr-long', currency: 'EUR',
      contract: { startsOn: '2025-01-01', endsOn: '2027-12-31', annualValue: 50_000_00 },
    });
  }
  switch (revision % 10) {
    case 1: return event('InvoiceIssued', { invoiceId: `inv-${revision}`, amount: 100_00, dueOn: dateAfter(revision, 30) });
    case 2: return event('InvoicePaid', { invoiceId: `inv-${revision - 1}`, amount: 100_00 });
    case 6: return event('SatisfactionRecorded', { kind: 'csat', score: csatAt(revision) });
    case 7: return event('ComplaintRaised', {
      complaintId: `c-${revision}`, severity: 'low', category: 'billing', description: 'Invoice layout', slaDueAt: new Date(at.getTime() + 168 * 3_600_000).toISOString(),
    });
    case 8: return event('ComplaintResolved', { complaintId: `c-${revision - 1}`, resolution: 'Explained' });
    default: return event('ContactLogged', { channel: 'email', direction: 'outbound', summary: `Touchpoint ${revision}`, sentiment: 0.2 });
  }
}

/** The first `count` events of the cycle, in batches of a thousand, straight through the store. */
export async function appendLongStream(store: EventStore, accountId: string, count = EVENTS): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    const length = Math.min(BATCH, count - start);
    await store.append(`account-${accountId}`, Array.from({ length }, (_, offset) => eventAt(start + offset)), start === 0 ? 'no_stream' : start - 1);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A 10,000-event stream replayed as of an instant in the middle and at the end, with the latency printed (never asserted). */
export function describeAsOfLongStream(backend: Backend): void {
  let api: RunningApi;
  const accountId = `long-${Date.now().toString(36)}`;
  const mid = occurredAt(5_000).toISOString();
  const auditor = () => as(api, 'auditor');

  beforeAll(async () => {
    api = await startAsOfApi(backend, API_KEYS_ENV, { projections: false });
    await appendLongStream(api.store, accountId);
  }, 300_000);
  afterAll(() => api?.close());

  describe('snapshots kept few and brought up to date', () => describeSnapshotPolicy(() => api));

  it('folds the middle and the end of the stream as the cycle says', async () => {
    // The first as-of read of a long stream in a process folds it whole, taking its snapshots.
    const started = performance.now();
    const middle = (await auditor().get(`/v1/accounts/${accountId}/state?asOf=${mid}`).expect(200)).body;
    console.log(`as-of, ${EVENTS}-event stream, ${backend}: first read (snapshots taken) ${(performance.now() - started).toFixed(1)} ms`);
    expect(middle).toMatchObject({ revision: 5_000, eventsFolded: 5_001, state: { openComplaints: {}, resolvedComplaintIds: expect.any(Array) } });
    expect(Object.keys(middle.state.invoices)).toHaveLength(500);
    const end = (await auditor().get(`/v1/accounts/${accountId}/state`).expect(200)).body;
    expect(end).toMatchObject({ revision: EVENTS - 1, eventsFolded: EVENTS });
    expect(end.state.resolvedComplaintIds).toHaveLength(1_000);

    const healthMid = (await auditor().get(`/v1/health/${accountId}?asOf=${mid}`).expect(200)).body;
    expect(healthMid).toMatchObject({
      scoredAt: mid, openComplaints: 0, overdueInvoices: 0, daysSinceLastContact: 0, position: middle.position,
      satisfaction: { latest: (csatAt(4_996) - 1) * 25 }, ltv: { realized: 500 * 100_00, model: 'contract' },
    });
    const healthEnd = (await auditor().get(`/v1/health/${accountId}?asOf=${new Date().toISOString()}`).expect(200)).body;
    expect(healthEnd).toMatchObject({ openComplaints: 0, ltv: { realized: 1_000 * 100_00 }, satisfaction: { latest: (csatAt(9_996) - 1) * 25 } });

    const [cut] = await api.store.readStream(`account-${accountId}`, { fromRevision: 5_000, limit: 1 });
    const recorded = (await auditor().get(`/v1/accounts/${accountId}/state?asOf=${cut!.recordedAt}&axis=recorded`).expect(200)).body;
    const known = (await api.store.readStream(`account-${accountId}`)).filter((event) => Date.parse(event.recordedAt) <= Date.parse(cut!.recordedAt));
    expect(recorded).toMatchObject({ eventsFolded: known.length, revision: known.at(-1)!.revision });
  });

  it(`prints the as-of latency on a ${EVENTS}-event stream (${backend})`, async () => {
    const now = new Date().toISOString();
    const [cut] = await api.store.readStream(`account-${accountId}`, { fromRevision: 5_000, limit: 1 });
    const routes: Record<string, string> = {
      'state, middle': `/v1/accounts/${accountId}/state?asOf=${mid}`,
      'state, end': `/v1/accounts/${accountId}/state?asOf=${now}`,
      'health, middle': `/v1/health/${accountId}?asOf=${mid}`,
      'health, end': `/v1/health/${accountId}?asOf=${now}`,
      'state, middle, recorded axis': `/v1/accounts/${accountId}/state?asOf=${cut!.recordedAt}&axis=recorded`,
      'health, middle, recorded axis': `/v1/health/${accountId}?asOf=${cut!.recordedAt}&axis=recorded`,
    };
    const lines: string[] = [];
    for (const [label, path] of Object.entries(routes)) {
      const timings: number[] = [];
      for (let attempt = 0; attempt < 6; attempt++) {
        const started = performance.now();
        const response = await auditor().get(path);
        timings.push(performance.now() - started);
        expect(response.status).toBe(200);
      }
      const [first, ...rest] = timings;
      lines.push(`${label}: first ${first!.toFixed(1)} ms, median of the next ${rest.length} ${median(rest).toFixed(1)} ms`);
    }
    console.log(`as-of latency, ${EVENTS}-event stream, ${backend}:\n  ${lines.join('\n  ')}`);
  });

  it('stays exact after a back-dated event lands behind the snapshots: the occurred axis moves, the recorded axis before it does not', async () => {
    const streamId = `account-${accountId}`;
    const statePath = (asOf: string, axis: TimeAxis) => `/v1/accounts/${accountId}/state?asOf=${asOf}&axis=${axis}`;
    const beforeIt = new Date().toISOString();
    const recordedBefore = (await auditor().get(statePath(beforeIt, 'recorded')).expect(200)).body;
    const lateAt = new Date(Date.parse(mid) - 3_600_000).toISOString();
    await api.store.append(streamId, [{
      type: 'ComplaintRaised', schemaVersion: 2, occurredAt: lateAt,
      data: { complaintId: 'late', severity: 'high', category: 'billing', description: 'Logged months later', slaDueAt: new Date(Date.parse(lateAt) + 86_400_000).toISOString() },
    }], EVENTS - 1);

    const atMid = (await auditor().get(statePath(mid, 'occurred')).expect(200)).body;
    expect(atMid).toMatchObject({ revision: EVENTS, eventsFolded: 5_002, state: { openComplaints: { late: { severity: 'high' } } } });
    expect((await auditor().get(`/v1/health/${accountId}?asOf=${mid}`).expect(200)).body.openComplaints).toBe(1);
    expect((await auditor().get(statePath(beforeIt, 'recorded')).expect(200)).body).toEqual(recordedBefore);

    // Every answer is the from-scratch fold of the whole stream, snapshots or not.
    const everything = await api.store.readStream(streamId);
    const instants = [occurredAt(999), occurredAt(2_500), lateAt, occurredAt(5_000), occurredAt(9_999), new Date()].map((at) => new Date(at).toISOString());
    for (const asOf of [...instants, recordedBefore.asOf]) {
      for (const axis of ['occurred', 'recorded'] as const) {
        const scratch = foldAccountAsOf(accountId, everything, { at: new Date(asOf), axis });
        const response = await auditor().get(statePath(asOf, axis));
        if (!scratch.facts.state.exists) {
          expect(response.status).toBe(404);
          continue;
        }
        expect(response.body).toMatchObject({ revision: scratch.facts.revision, eventsFolded: scratch.eventsFolded, position: scratch.facts.position });
        expect(response.body.state).toEqual(scratch.facts.state);
      }
    }
  });
}
