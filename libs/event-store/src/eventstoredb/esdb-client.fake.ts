import { EventEmitter } from 'node:events';
import { StreamNotFoundError, WrongExpectedVersionError, type EventStoreDBClient } from '@eventstore/db-client';
import type { EsdbRecordedEvent } from './esdb-event-layout';

type Stored = EsdbRecordedEvent & { readonly position: { commit: bigint; prepare: bigint }; readonly raw: string };
type Proposed = { id: string; type: string; data: unknown; metadata?: unknown };

/**
 * An in-memory IMITATION of the parts of @eventstore/db-client the adapter uses, written from
 * the client's documented behaviour: expected-revision checks and WrongExpectedVersion, the
 * server's own idempotency (same ids at the expected revision: success, nothing written),
 * inclusive `fromPosition`, StreamNotFound on reading a missing stream, events of one append
 * sharing a commit position, system events ($> links, $stats) interleaved in $all.
 * It lets the contract exercise the adapter's own logic; it proves nothing about a server.
 */
export class EsdbClientFake {
  private readonly log: Stored[] = [];
  private readonly streams = new Map<string, Stored[]>();
  private readonly live = new Set<EventEmitter>();
  private next = 100n;
  disposed = false;

  asClient(): EventStoreDBClient {
    return this as unknown as EventStoreDBClient;
  }

  /** A second connection to the same imitation server: disposing it leaves the server's state alone. */
  asSeparateClient(): EventStoreDBClient {
    const methods = ['appendToStream', 'readStream', 'readAll', 'subscribeToAll'] as const;
    const client = Object.fromEntries(methods.map((name) => [name, this[name].bind(this)]));
    return { ...client, dispose: async () => undefined } as unknown as EventStoreDBClient;
  }

  async appendToStream(streamName: string, events: Proposed[], options: { expectedRevision: 'any' | 'no_stream' | 'stream_exists' | bigint }) {
    await Promise.resolve(); // a network hop: let other appends interleave
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length - 1;
    const expected = options.expectedRevision;
    const from = expected === 'no_stream' ? 0 : typeof expected === 'bigint' ? Number(expected) + 1 : undefined;
    if (from !== undefined && from <= current && events.every((event, i) => stream[from + i]?.id === event.id)) {
      return { success: true, nextExpectedRevision: BigInt(from + events.length - 1), position: stream[from + events.length - 1]!.position };
    }
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' ? current === -1 : expected === 'stream_exists' ? current >= 0 : Number(expected) === current);
    if (!ok) {
      throw new WrongExpectedVersionError(undefined, { streamName, expected, current: current === -1 ? 'no_stream' : BigInt(current) });
    }
    const prepares = events.map(() => (this.next += 37n));
    const commit = prepares[prepares.length - 1]!;
    events.forEach((event, index) => {
      const raw = JSON.stringify({ data: event.data, metadata: event.metadata });
      this.push(stream, streamName, { id: event.id, type: event.type, isJson: true, raw, position: { commit, prepare: prepares[index]! } });
    });
    // What the standard projections would write: a link per event in the category stream.
    const category = `$ce-${streamName.split('-')[0]}`;
    const at = (this.next += 37n);
    this.push(this.streams.get(category) ?? [], category, { id: `${at}`, type: '$>', isJson: false, raw: '{}', position: { commit: at, prepare: at } });
    for (const emitter of this.live) emitter.emit('data', {});
    return { success: true, nextExpectedRevision: BigInt(stream.length - 1), position: { commit, prepare: commit } };
  }

  readStream(streamName: string, options: { direction?: string; fromRevision?: 'start' | 'end' | bigint; maxCount?: number }) {
    const backward = options.direction === 'backwards';
    const snapshot = [...(this.streams.get(streamName) ?? [])];
    const missing = !this.streams.has(streamName);
    const revision = options.fromRevision;
    const from = revision === undefined || revision === 'start' ? 0 : revision === 'end' ? snapshot.length - 1 : Number(revision);
    const selected = backward ? snapshot.slice(0, Math.min(from, snapshot.length - 1) + 1).reverse() : snapshot.slice(from);
    const error = missing ? new StreamNotFoundError(undefined, streamName) : undefined;
    return this.iterate(selected.slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER), error);
  }

  readAll(options: { direction?: string; fromPosition?: 'start' | 'end' | { commit: bigint; prepare: bigint }; maxCount?: number }) {
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === 'backwards') return this.iterate([...this.log].reverse().slice(0, max));
    const from = options.fromPosition;
    const atOrAfter = (e: Stored) =>
      typeof from === 'object' && (e.position.commit > from.commit || (e.position.commit === from.commit && e.position.prepare >= from.prepare));
    const start = from === undefined || from === 'start' ? 0 : from === 'end' ? this.log.length : this.log.findIndex(atOrAfter);
    return this.iterate(start < 0 ? [] : this.log.slice(start, start + max));
  }

  subscribeToAll() {
    const emitter = Object.assign(new EventEmitter(), { unsubscribe: async () => void this.live.delete(emitter) });
    this.live.add(emitter);
    return emitter;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.live.clear();
  }

  /** Adds a $stats event, as a server does now and then. */
  systemNoise(): void {
    const at = (this.next += 37n);
    const stats = { id: `${at}`, type: '$statsCollected', isJson: true, raw: '{"data":{}}', position: { commit: at, prepare: at } };
    this.push(this.streams.get('$stats-fake') ?? [], '$stats-fake', stats);
  }

  /** Appends what another client of the server might: a JSON event without the engine's layout. */
  foreignEvent(streamName: string): void {
    const at = (this.next += 37n);
    const raw = JSON.stringify({ data: { sku: 'x-1' }, metadata: { user: 'another-app' } });
    this.push(this.streams.get(streamName) ?? [], streamName, { id: `${at}`, type: 'OrderPlaced', isJson: true, raw, position: { commit: at, prepare: at } });
  }

  private push(stream: Stored[], streamId: string, event: Pick<Stored, 'id' | 'type' | 'isJson' | 'raw' | 'position'>): void {
    const stored: Stored = { ...event, streamId, revision: BigInt(stream.length), data: undefined };
    stream.push(stored);
    this.streams.set(streamId, stream);
    this.log.push(stored);
  }

  /** Each read hands out fresh copies, parsed from the stored JSON, as the wire would. */
  private async *iterate(events: Stored[], error?: Error) {
    if (error) throw error;
    for (const event of events) {
      await Promise.resolve();
      const { raw, ...rest } = event;
      const { data, metadata } = JSON.parse(raw) as { data: unknown; metadata: unknown };
      yield { event: { ...rest, data, metadata } };
    }
  }
}
