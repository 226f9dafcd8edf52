import { ChainVerifier, GENESIS_HASH } from '../hash-chain';
import { prepareBatch } from '../append-checks';
import { sealBatch } from '../sealed-batch';
import { ForeignEventError } from '../errors';
import {
  engineMetadata, fromEsdbEvent, isSystemEvent, LAYOUT_FORMAT, NO_POSITION, toEsdbEvent, type EsdbRecordedEvent,
} from './esdb-event-layout';

const sealed = () =>
  sealBatch(
    'account-1',
    { revision: -1, hash: GENESIS_HASH, recordedAt: null },
    prepareBatch('account-1', [
      {
        type: 'ContactLogged', schemaVersion: 2, occurredAt: '2026-03-01T10:00:00Z', data: { n: 1 },
        metadata: { correlationId: 'c-1', causationId: 'k-1', actor: 'tests', format: 'mine' },
      },
      { type: 'ContactLogged', schemaVersion: 1, occurredAt: '2026-03-01T11:00:00Z', data: [1, 'two'] },
    ]),
    new Date('2026-03-04T05:06:07.089Z'),
  );

/** What the server would hand back for an event the adapter wrote (after a JSON round trip). */
function recorded(data: ReturnType<typeof toEsdbEvent>, revision: number, prepare: bigint): EsdbRecordedEvent {
  const wire = JSON.parse(JSON.stringify({ data: data.data, metadata: data.metadata }));
  const position = { commit: 900n, prepare };
  return { streamId: 'account-1', id: data.id.toUpperCase(), revision: BigInt(revision), type: data.type, isJson: true, ...wire, position };
}

describe('the EventStoreDB event layout', () => {
  it('stores the envelope in custom metadata, with the port metadata nested and ESDB correlation ids', () => {
    const [first] = sealed();
    const event = toEsdbEvent(first!, { firstRevision: 0, size: 2 });
    expect(event).toMatchObject({ id: first!.eventId, type: 'ContactLogged', contentType: 'application/json', data: { n: 1 } });
    expect(event.metadata).toEqual({
      format: LAYOUT_FORMAT, schemaVersion: 2, occurredAt: '2026-03-01T10:00:00.000Z', recordedAt: '2026-03-04T05:06:07.089Z',
      batch: { firstRevision: 0, size: 2 }, metadata: first!.metadata, $correlationId: 'c-1', $causationId: 'k-1',
    });
    // A caller's own key named like ours stays inside the nested metadata.
    expect(event.metadata.metadata.format).toBe('mine');
    expect(toEsdbEvent(sealed()[1]!, { firstRevision: 0, size: 2 }).metadata).not.toHaveProperty('$correlationId');
  });

  it('reads back the same envelope it wrote, and the chain still verifies', () => {
    const events = sealed();
    const envelopes = events.map((event, index) =>
      fromEsdbEvent(recorded(toEsdbEvent(event, { firstRevision: 0, size: 2 }), index, 1000n + BigInt(index))),
    );
    expect(envelopes.map(({ globalPosition: _, ...rest }) => rest)).toEqual(events);
    expect(envelopes.map((event) => event.globalPosition)).toEqual([1000, 1001]);
    expect(envelopes[0]!.eventId).toBe(events[0]!.eventId); // ids come back lower-case
    const verifier = new ChainVerifier();
    envelopes.forEach((event) => verifier.push(event));
    expect(verifier.finish({ revision: 1, hash: envelopes[1]!.metadata.hash })).toEqual({ ok: true, checked: 2 });
  });

  it('tells system events and other writers’ events apart from the engine’s', () => {
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isSystemEvent({ streamId: '$ce-account', type: '$>' })).toBe(true);
    expect(isSystemEvent({ streamId: 'account-1', type: '$metadata' })).toBe(true);
    expect(isSystemEvent({ streamId: 'account-1', type: 'ContactLogged' })).toBe(false);

    const foreign: EsdbRecordedEvent = {
      streamId: 'orders-1', id: 'x', revision: 3n, type: 'OrderPlaced', isJson: true, data: {}, metadata: { user: 'a' },
      position: { commit: 1n, prepare: 1n },
    };
    expect(engineMetadata(foreign)).toBeUndefined();
    expect(engineMetadata({ ...foreign, isJson: false, metadata: undefined })).toBeUndefined();
    expect(() => fromEsdbEvent(foreign)).toThrow(ForeignEventError);
    expect(() => fromEsdbEvent(foreign)).toThrow('orders-1@3');
  });

  it('refuses an event without a log position rather than inventing one', () => {
    const event = recorded(toEsdbEvent(sealed()[0]!, { firstRevision: 0, size: 1 }), 0, 1n);
    expect(() => fromEsdbEvent({ ...event, position: undefined })).toThrow('no log position');
    // What servers before 22.x send on stream reads: Position.End.
    expect(() => fromEsdbEvent({ ...event, position: { commit: NO_POSITION, prepare: NO_POSITION } })).toThrow('22.10 or later');
  });
});
