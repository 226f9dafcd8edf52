import { UpcastFailedError, type EventEnvelope, type EventStore } from '@ahe/event-store';
import { atCurrentVersion, readingCurrentVersions } from './current-version-reads';

const envelope = (type: string, schemaVersion: number, data: unknown): EventEnvelope => ({
  eventId: 'e-1', type, schemaVersion, streamId: 'account-acme', revision: 1, globalPosition: 2,
  occurredAt: '2025-01-02T08:00:00.000Z', recordedAt: '2025-01-02T08:00:01.000Z', data, metadata: {},
} as EventEnvelope);

describe('atCurrentVersion', () => {
  const complaint = { complaintId: 'c-1', severity: 'high', category: 'outage', description: 'Down' };

  it('upcasts an old version, keeping the rest of the envelope', () => {
    const old = envelope('ComplaintRaised', 1, complaint);
    expect(atCurrentVersion(old)).toEqual({ ...old, schemaVersion: 2, data: { ...complaint, slaDueAt: '2025-01-03T08:00:00.000Z' } });
  });

  it('hands over the very envelope when it is current, or not an account event', () => {
    const current = envelope('ComplaintRaised', 2, { ...complaint, slaDueAt: '2025-01-03T08:00:00.000Z' });
    expect(atCurrentVersion(current)).toBe(current);
    const foreign = envelope('SomethingElse', 7, {});
    expect(atCurrentVersion(foreign)).toBe(foreign);
  });

  it('refuses a version newer than this build knows, naming the event', () => {
    expect(() => atCurrentVersion(envelope('ComplaintRaised', 3, complaint))).toThrow(UpcastFailedError);
    expect(() => atCurrentVersion(envelope('ComplaintRaised', 3, complaint))).toThrow(/Event e-1 \(ComplaintRaised v3\) cannot be upcast/);
  });

  it('lets a read be replaced on the view and restored, without touching the store behind it', async () => {
    const old = envelope('ComplaintRaised', 1, complaint);
    const store = { readStream: async () => [old], streamRevision: async () => 1 } as unknown as EventStore;
    const view = readingCurrentVersions(store);
    expect((await view.readStream('account-acme'))[0]!.schemaVersion).toBe(2);
    const spy = jest.spyOn(view, 'readStream').mockResolvedValue([]);
    expect(await view.readStream('account-acme')).toEqual([]);
    expect(await store.readStream('account-acme')).toEqual([old]);
    spy.mockRestore();
    expect((await view.readStream('account-acme'))[0]!.schemaVersion).toBe(2);
    expect(await view.streamRevision('account-acme')).toBe(1);
  });

  it('lifts only the old events of a page, in order, and hands over a page without any as it is', async () => {
    const current = (id: string) => ({ ...envelope('ComplaintRaised', 2, { ...complaint, slaDueAt: '2025-01-03T08:00:00.000Z' }), eventId: id });
    const page = [current('e-1'), { ...envelope('ComplaintRaised', 1, complaint), eventId: 'e-2' }, current('e-3')];
    const batch = { events: [current('e-4')], checkpoint: { position: 4 } };
    const store = { readStream: async () => page, readAll: async () => batch } as unknown as EventStore;
    const view = readingCurrentVersions(store);
    const read = await view.readStream('account-acme');
    expect(read.map((event) => [event.eventId, event.schemaVersion])).toEqual([['e-1', 2], ['e-2', 2], ['e-3', 2]]);
    expect(read[0]).toBe(page[0]);
    expect(page[1]!.schemaVersion).toBe(1);
    expect(await view.readAll()).toBe(batch);
  });
});
