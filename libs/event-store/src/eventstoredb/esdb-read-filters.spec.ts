import type { EventEnvelope } from '../event-store.port';
import { LAYOUT_FORMAT, type EsdbRecordedEvent } from './esdb-event-layout';
import { asOfFilter, logEntryKind, type LogEntryKind } from './esdb-read-filters';

const event = (occurredAt: string, recordedAt: string) => ({ occurredAt, recordedAt }) as EventEnvelope;
const at = new Date('2026-02-02T12:00:00Z');

describe('as-of filtering of a stream read, client-side', () => {
  it('keeps everything without an as-of', () => {
    expect(asOfFilter(undefined, false)(event('2099-01-01T00:00:00Z', '2099-01-01T00:00:00Z'))).toBe('keep');
  });

  it('checks every event on the occurred axis, since business time may be back-dated', () => {
    const filter = asOfFilter({ axis: 'occurred', at }, false);
    expect(filter(event('2026-02-03T00:00:00Z', '2026-02-01T00:00:00Z'))).toBe('skip');
    expect(filter(event('2026-02-02T12:00:00Z', '2026-02-05T00:00:00Z'))).toBe('keep'); // inclusive, logged late
  });

  it('treats the recorded axis as a prefix: forward stops at the first later event, backward skips to the prefix', () => {
    const later = event('2026-01-01T00:00:00Z', '2026-02-02T12:00:00.001Z');
    const inRange = event('2026-01-01T00:00:00Z', '2026-02-02T12:00:00.000Z');
    expect(asOfFilter({ axis: 'recorded', at }, false)(later)).toBe('stop');
    expect(asOfFilter({ axis: 'recorded', at }, true)(later)).toBe('skip');
    expect(asOfFilter({ axis: 'recorded', at }, false)(inRange)).toBe('keep');
    expect(asOfFilter({ axis: 'recorded', at }, true)(inRange)).toBe('keep');
  });
});

describe('what a $all reader delivers', () => {
  const base = { id: 'x', revision: 0n, isJson: true, data: {}, position: { commit: 1n, prepare: 1n } };
  it.each<[string, Partial<EsdbRecordedEvent>, LogEntryKind]>([
    ['an engine event', { streamId: 'account-1', type: 'ContactLogged', metadata: { format: LAYOUT_FORMAT, recordedAt: '2026-01-01T00:00:00.000Z', metadata: {} } }, 'engine'],
    ['a category link', { streamId: '$ce-account', type: '$>', isJson: false }, 'system'],
    ['statistics', { streamId: '$stats-node', type: '$statsCollected' }, 'system'],
    ['stream metadata', { streamId: '$$account-1', type: '$metadata' }, 'system'],
    ['another application’s event', { streamId: 'orders-1', type: 'OrderPlaced', metadata: { user: 'u' } }, 'other'],
    ['an event-id claim', { streamId: 'ahe_event_id-1', type: 'AheEventIdClaimed', metadata: { format: 'ahe.event-id-claim/1' } }, 'other'],
  ])('%s', (_, event, kind) => {
    expect(logEntryKind({ ...base, streamId: '', type: '', ...event } as EsdbRecordedEvent)).toBe(kind);
  });
});
