import { CLAIM_FORMAT, CLAIM_TYPE, claimedStream, claimEvent, claimStreamName } from './esdb-event-id-claims';
import { engineMetadata, isSystemEvent, type EsdbRecordedEvent } from './esdb-event-layout';

const recorded = (event: ReturnType<typeof claimEvent>): EsdbRecordedEvent => ({
  streamId: claimStreamName('0b8e6c5e-8d7e-4a43-9d59-1c1e1a7c2f10'), id: event.id, revision: 0n, type: event.type, isJson: true,
  data: event.data, metadata: event.metadata, position: { commit: 5n, prepare: 5n },
});

describe('event id claims (one stream per caller-chosen id)', () => {
  it('names a claim stream per id, outside the system streams', () => {
    const name = claimStreamName('0b8e6c5e-8d7e-4a43-9d59-1c1e1a7c2f10');
    expect(name).toBe('ahe_event_id-0b8e6c5e-8d7e-4a43-9d59-1c1e1a7c2f10');
    expect(name.startsWith('$')).toBe(false);
  });

  it('records the owning stream and reads it back', () => {
    const event = claimEvent('account-1');
    expect(event).toMatchObject({ type: CLAIM_TYPE, contentType: 'application/json', data: { streamId: 'account-1' }, metadata: { format: CLAIM_FORMAT } });
    expect(claimedStream(recorded(event))).toBe('account-1');
  });

  it('gives every claim a fresh id, so the server’s own id dedup cannot accept a rival claim', () => {
    expect(claimEvent('account-1').id).not.toBe(claimEvent('account-1').id);
  });

  it('is not an engine event (so $all readers skip it) nor mistaken for another claim', () => {
    const claim = recorded(claimEvent('account-1'));
    expect(engineMetadata(claim)).toBeUndefined();
    expect(isSystemEvent(claim)).toBe(false);
    expect(claimedStream({ ...claim, type: 'ContactLogged' })).toBeUndefined();
    expect(claimedStream({ ...claim, metadata: {} })).toBeUndefined();
  });
});
