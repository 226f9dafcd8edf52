import { Inject, Injectable } from '@nestjs/common';
import { accountIdOfStream } from '@ahe/domain';
import { compareCheckpoints, LruMap, START, type Checkpoint, type EventEnvelope, type EventStore } from '@ahe/event-store';
import { EVENT_STORE } from '@ahe/platform';
import {
  countsAsOf, fitLtvModelsInWorker, ltvModelsAsOfInWorker, LtvLogIndex, replayPortfolio, type AsOfInstant, type LtvModels,
} from '@ahe/read-models';
import { SNAPSHOT_POLICY } from './account-snapshots.cache';

/** Fits kept: a few instants an auditor is comparing, on both axes. A fit is a few hundred bytes. */
export const LTV_FITS_KEPT = 32;
/** Page of the log reads, as in the analytics replays. */
const LOG_PAGE = 5_000;
/** Account streams of at least this many events are noted as the log is read: the ones worth snapshots. */
const LONG_STREAM_EVENTS = SNAPSHOT_POLICY.minEvents;

interface KeptFit {
  readonly asOf: AsOfInstant;
  readonly models: Promise<LtvModels>;
}

const keyOf = (asOf: AsOfInstant): string => `${asOf.axis}|${asOf.at.toISOString()}`;
const headText = (head: Checkpoint): string => `${head.commit}/${head.prepare}`;

/**
 * The LTV models as fitted on the log as of an instant (ltvModelsAsOf over a portfolio replay):
 * the fit a health row of that instant was scored with. The process keeps the log in an
 * LtvLogIndex (what those fits need of it, in memory), so a fit at a new instant folds no event
 * and reads only what was appended since the last request: the first request reads the whole log
 * once. Fits are kept per (axis, asOf) until an event appended since counts at that instant on
 * that axis (countsAsOf, the rule the fit folds by). A log with a stream the index does not model
 * (LtvLogIndex) is replayed whole for each new instant, as before the index.
 */
@Injectable()
export class LtvModelsAsOfCache {
  private readonly fits = new LruMap<string, KeptFit>(LTV_FITS_KEPT);
  /** Fits under way, shared by requests for the same instant that saw the same head. */
  private readonly fitting = new Map<string, Promise<LtvModels>>();
  private readonly index = new LtvLogIndex();
  /** Every event up to here is in the index and was checked against each kept fit. */
  private head: Checkpoint = START;
  /** Catch-ups run one after another, so that no event is indexed twice. */
  private caughtUp: Promise<void> = Promise.resolve();
  /** Head revision of each account stream of LONG_STREAM_EVENTS or more read so far; the others are not held. */
  private readonly heads = new Map<string, number>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * The models fitted as of `asOf`. `keep: false` for an instant no one will ask for again (a fit
   * of "now"): it is not kept, so it pushes no other instant's fit out of the cache.
   */
  async modelsAsOf(asOf: AsOfInstant, { keep = true }: { readonly keep?: boolean } = {}): Promise<LtvModels> {
    await this.catchUp();
    const key = keyOf(asOf);
    const kept = this.fits.get(key);
    if (kept !== undefined) return kept.models;
    const sharedKey = `${key}|${headText(this.head)}`;
    const shared = this.fitting.get(sharedKey);
    if (shared !== undefined) return shared;
    const models = this.fit(asOf, keep ? key : null);
    this.fitting.set(sharedKey, models);
    try {
      return await models;
    } finally {
      this.fitting.delete(sharedKey);
    }
  }

  /**
   * Reads what was appended since the head into the index, once this caller's turn comes: one
   * round trip when nothing was. Public for the warm-up (LtvIndexWarmUp), which a request then
   * queues behind.
   */
  catchUp(): Promise<void> {
    const turn = this.caughtUp.then(() => this.readNew());
    // A failed read leaves the head where it was; the next request retries from there.
    this.caughtUp = turn.catch(() => undefined);
    return turn;
  }

  /** Account events in the index. */
  get indexedEvents(): number {
    return this.index.events;
  }

  /** The account streams of at least LONG_STREAM_EVENTS events read so far, by stream id, with their head revisions. */
  get longStreams(): ReadonlyMap<string, number> {
    return this.heads;
  }

  private async readNew(): Promise<void> {
    let batch = await this.store.readAll({ after: this.head, limit: LOG_PAGE });
    for (;;) {
      this.take(batch.events);
      if (compareCheckpoints(batch.checkpoint, this.head) > 0) this.head = batch.checkpoint;
      if (batch.events.length < LOG_PAGE) return;
      batch = await this.store.readAll({ after: batch.checkpoint, limit: LOG_PAGE });
    }
  }

  private take(events: readonly EventEnvelope[]): void {
    if (events.length === 0) return;
    this.index.add(events);
    for (const { streamId, revision } of events) {
      if (revision + 1 >= LONG_STREAM_EVENTS && accountIdOfStream(streamId) !== null) this.heads.set(streamId, revision);
    }
    for (const [key, { asOf }] of this.fits.snapshot()) {
      const atMs = asOf.at.getTime();
      if (events.some((event) => countsAsOf(event, atMs, asOf.axis))) this.fits.delete(key);
    }
  }

  /** Kept under `key` unless it is null. */
  private async fit(asOf: AsOfInstant, key: string | null): Promise<LtvModels> {
    // Taken at once after the catch-up, so the fit is of the log up to this.head.
    const indexed = this.index.observationsAsOf(asOf);
    if (indexed === null) return this.replayedFit(asOf, key);
    const models = fitLtvModelsInWorker(indexed.observations, { asOf: asOf.at, axis: asOf.axis, position: indexed.position });
    if (key === null) return models;
    this.fits.set(key, { asOf, models });
    models.catch(() => {
      if (this.fits.get(key)?.models === models) this.fits.delete(key);
    });
    return models;
  }

  /** The fit by a replay of the whole log, kept only if it read at least to the head: later events are checked against it from there. */
  private async replayedFit(asOf: AsOfInstant, key: string | null): Promise<LtvModels> {
    const log = { end: START };
    const models = await ltvModelsAsOfInWorker(await replayPortfolio(wholeLog(this.store, log), { asOf: asOf.at, axis: asOf.axis }));
    if (key !== null && compareCheckpoints(log.end, this.head) >= 0) this.fits.set(key, { asOf, models: Promise.resolve(models) });
    return models;
  }
}

/** Every event in log order, noting in `reached.end` the checkpoint the read got to. */
async function* wholeLog(store: EventStore, reached: { end: Checkpoint }): AsyncGenerator<EventEnvelope> {
  for (let batch = await store.readAll({ limit: LOG_PAGE }); batch.events.length > 0; batch = await store.readAll({ after: batch.checkpoint, limit: LOG_PAGE })) {
    reached.end = batch.checkpoint;
    yield* batch.events;
  }
}
