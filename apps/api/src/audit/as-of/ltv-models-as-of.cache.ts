import { Inject, Injectable } from '@nestjs/common';
import { compareCheckpoints, LruMap, START, type Checkpoint, type EventEnvelope, type EventStore } from '@ahe/event-store';
import { EVENT_STORE } from '@ahe/platform';
import { countsAsOf, ltvModelsAsOfInWorker, replayPortfolio, type AsOfInstant, type LtvModels } from '@ahe/read-models';

/** Fits kept: a few instants an auditor is comparing, on both axes. A fit is a few hundred bytes. */
export const LTV_FITS_KEPT = 32;
/** Page of the whole-log read, as in the analytics replays. */
const LOG_PAGE = 5_000;

interface KeptFit {
  readonly asOf: AsOfInstant;
  readonly models: Promise<LtvModels>;
}

const keyOf = (asOf: AsOfInstant): string => `${asOf.axis}|${asOf.at.toISOString()}`;
const headText = (head: Checkpoint | null): string => (head === null ? '-' : `${head.commit}/${head.prepare}`);

/**
 * The LTV models as fitted on the log as of an instant (ltvModelsAsOf over a portfolio replay):
 * the fit a health row of that instant was scored with. A fit reads and folds the whole log, so
 * it is kept per (axis, asOf) until an event appended since counts at that instant on that axis
 * (countsAsOf, the rule the fit folds by): a back-dated event on the occurred axis, hardly ever
 * one on the recorded axis. Each request reads only what was appended since the head this
 * process last saw, in one round trip when nothing was, and drops the fits those events change.
 */
@Injectable()
export class LtvModelsAsOfCache {
  private readonly fits = new LruMap<string, KeptFit>(LTV_FITS_KEPT);
  /** Fits under way, shared by requests for the same instant that saw the same head. */
  private readonly fitting = new Map<string, Promise<LtvModels>>();
  /** Every event up to here was either folded by each kept fit or checked against it. */
  private head: Checkpoint | null = null;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async modelsAsOf(asOf: AsOfInstant): Promise<LtvModels> {
    await this.catchUp();
    const key = keyOf(asOf);
    const kept = this.fits.get(key);
    if (kept !== undefined) return kept.models;
    const sharedKey = `${key}|${headText(this.head)}`;
    const shared = this.fitting.get(sharedKey);
    if (shared !== undefined) return shared;
    const models = this.fit(asOf, key);
    this.fitting.set(sharedKey, models);
    try {
      return await models;
    } finally {
      this.fitting.delete(sharedKey);
    }
  }

  /** Null until a fit has read the log once: nothing is kept before, so there is nothing to check. */
  private async catchUp(): Promise<void> {
    if (this.head === null) return;
    let batch = await this.store.readAll({ after: this.head, limit: LOG_PAGE });
    this.dropChangedBy(batch.events);
    while (batch.events.length === LOG_PAGE) {
      batch = await this.store.readAll({ after: batch.checkpoint, limit: LOG_PAGE });
      this.dropChangedBy(batch.events);
    }
    if (compareCheckpoints(batch.checkpoint, this.head) > 0) this.head = batch.checkpoint;
  }

  private dropChangedBy(events: readonly EventEnvelope[]): void {
    if (events.length === 0) return;
    for (const [key, { asOf }] of this.fits.snapshot()) {
      const atMs = asOf.at.getTime();
      if (events.some((event) => countsAsOf(event, atMs, asOf.axis))) this.fits.delete(key);
    }
  }

  private async fit(asOf: AsOfInstant, key: string): Promise<LtvModels> {
    const log = { end: START };
    const models = await ltvModelsAsOfInWorker(await replayPortfolio(wholeLog(this.store, log), { asOf: asOf.at, axis: asOf.axis }));
    // Kept only if it read at least to the head: the events between are checked against it from
    // there on. One that read less (a catch-up overtook it) is answered but not kept.
    if (this.head === null) this.head = log.end;
    if (compareCheckpoints(log.end, this.head) >= 0) this.fits.set(key, { asOf, models: Promise.resolve(models) });
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
