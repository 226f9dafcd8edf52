import { BACKWARDS, END, EventStoreDBClient } from '@eventstore/db-client';
import { guardedUpcast } from '../guarded-upcast';
import { ChainVerifier } from '../hash-chain';
import { PollingSubscription } from '../polling-subscription';
import { assertReadStreamOptions, readAllBounds } from '../read-options';
import { assertStreamId } from '../append-checks';
import { ForeignEventError } from '../errors';
import type {
  AppendResult, Checkpoint, EventEnvelope, EventStore, ExpectedRevision, GlobalBatch, NewEvent,
  ReadAllOptions, ReadStreamOptions, SubscribeOptions, Subscription, VerifyResult,
} from '../event-store.port';
import { EsdbAppender } from './esdb-appender';
import { fromEsdbEvent } from './esdb-event-layout';
import { toCheckpoint } from './esdb-positions';
import { readAllPage, readStreamEvents } from './esdb-reads';
import { EsdbLiveWakeups } from './esdb-live-wakeups';
import { asOfFilter, logEntryKind } from './esdb-read-filters';

export interface EventStoreDbOptions {
  readonly clock?: () => Date;
  /** Applied to every event read (not to verification, which checks what is stored). */
  readonly upcast?: (event: EventEnvelope) => EventEnvelope;
  /** Test seam: runs just before each write; appends are then serialised (see below). */
  readonly beforeCommit?: (streamId: string) => Promise<void>;
  /** Disposes the client with the store (when the store created it). */
  readonly ownsClient?: boolean;
}

const PAGE = 1000;

/** The EventStore on EventStoreDB: streams are EventStoreDB streams, the global log is $all. */
export class EventStoreDbEventStore implements EventStore {
  private readonly upcast: (event: EventEnvelope) => EventEnvelope;
  private readonly appender: EsdbAppender;
  private readonly wakeups: EsdbLiveWakeups;
  private readonly subscriptions = new Set<Subscription>();
  private writeQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbOptions = {},
  ) {
    this.upcast = guardedUpcast(options.upcast);
    this.appender = new EsdbAppender(client, { clock: options.clock ?? (() => new Date()), beforeCommit: options.beforeCommit });
    this.wakeups = new EsdbLiveWakeups(client);
  }

  /**
   * With the beforeCommit seam, appends run one at a time, like a single-connection store:
   * EventStoreDB has no open transaction for "before commit" to sit in, so this is what gives
   * the seam its meaning. Without it, appends run concurrently (conflicts are the server's).
   */
  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision = 'any'): Promise<AppendResult> {
    const run = () => this.appender.append(streamId, events, expected);
    const result = this.options.beforeCommit ? await this.serialised(run) : await run();
    if (!result.duplicate) this.wakeups.wakeAll();
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    assertStreamId(streamId);
    assertReadStreamOptions(options);
    const backward = options.direction === 'backward';
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    if (limit === 0) return [];
    const filter = asOfFilter(options.asOf, backward);
    let fromRevision = options.fromRevision;
    if (backward && fromRevision !== undefined) {
      // A backward read that starts past the end may come back short or empty (the server
      // reads the range of `maxCount` revisions ending at `from`), so start at the head.
      const head = await this.streamRevision(streamId);
      if (head < 0) return [];
      fromRevision = Math.min(fromRevision, head);
    }
    const events: EventEnvelope[] = [];
    // Without as-of every event read is kept, so the server can stop at the limit.
    const maxCount = options.asOf ? undefined : limit;
    for await (const event of readStreamEvents(this.client, streamId, { backward, fromRevision, maxCount })) {
      const envelope = fromEsdbEvent(event);
      const verdict = filter(envelope);
      if (verdict === 'stop') break;
      if (verdict === 'skip') continue;
      events.push(this.upcast(envelope));
      if (events.length >= limit) break;
    }
    return events;
  }

  async streamRevision(streamId: string): Promise<number> {
    assertStreamId(streamId);
    for await (const event of readStreamEvents(this.client, streamId, { backward: true, maxCount: 1 })) return Number(event.revision);
    return -1;
  }

  /** System events and other writers' events are skipped; the checkpoint is the last event returned. */
  async readAll(options: ReadAllOptions = {}): Promise<GlobalBatch> {
    const { after, limit } = readAllBounds(options);
    const events: EventEnvelope[] = [];
    let checkpoint: Checkpoint = after;
    for (let cursor = after; events.length < limit; ) {
      const page = await readAllPage(this.client, cursor, Math.min(PAGE, Math.max(limit - events.length, 32)));
      for (const event of page.events) {
        cursor = toCheckpoint(event.position!);
        if (logEntryKind(event) !== 'engine') continue;
        events.push(this.upcast(fromEsdbEvent(event)));
        checkpoint = cursor;
        if (events.length >= limit) break;
      }
      if (page.exhausted) break;
    }
    return { events, checkpoint };
  }

  subscribe(handler: (batch: GlobalBatch) => Promise<void>, options: SubscribeOptions = {}): Subscription {
    const subscription = new PollingSubscription(
      {
        read: (after, limit) => this.readAll({ after, limit }),
        // $all has one total order fixed at commit: nothing can appear behind a reader.
        hasHidden: async () => false,
        onWake: (wake) => this.wakeups.add(wake),
      },
      handler,
      options,
    );
    this.subscriptions.add(subscription);
    void subscription.done.finally(() => this.subscriptions.delete(subscription)).catch(() => undefined);
    return subscription;
  }

  /** The log is append-only and the head is the last event itself, so one forward pass suffices. */
  async verifyStream(streamId: string): Promise<VerifyResult> {
    assertStreamId(streamId);
    const verifier = new ChainVerifier();
    let head: { revision: number; hash: string } | undefined;
    for await (const event of readStreamEvents(this.client, streamId, {})) {
      let envelope: EventEnvelope;
      try {
        envelope = fromEsdbEvent(event);
      } catch (error) {
        if (!(error instanceof ForeignEventError)) throw error;
        return { ok: false, checked: Number(event.revision) + 1, brokenAt: Number(event.revision), reason: error.message };
      }
      if (!verifier.push(envelope)) return verifier.finish(undefined);
      head = { revision: envelope.revision, hash: envelope.metadata.hash };
    }
    return verifier.finish(head);
  }

  /** A one-event read of $all's end: needs the same permission the projections need. */
  async ping(): Promise<void> {
    for await (const _ of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) break;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.wakeups.close();
    if (this.options.ownsClient) await this.client.dispose();
  }

  private serialised<T>(run: () => Promise<T>): Promise<T> {
    const next = this.writeQueue.then(run, run);
    this.writeQueue = next.catch(() => undefined);
    return next;
  }
}
