import { Inject, Injectable } from '@nestjs/common';
import { compareCheckpoints, START, type Checkpoint, type EventEnvelope, type EventStore } from '@ahe/event-store';
import { EVENT_STORE } from '@ahe/platform';
import { ltvModelsAsOf, replayPortfolio, type AsOfInstant, type LtvModels } from '@ahe/read-models';
import { LruMap } from './lru-map';

/** Fits kept: a few instants an auditor is comparing, on both axes. A fit is a few hundred bytes. */
export const LTV_FITS_KEPT = 32;
/** Page of the whole-log read, as in the analytics replays. */
const LOG_PAGE = 5_000;

const keyOf = (asOf: AsOfInstant, head: Checkpoint): string => `${asOf.axis}|${asOf.at.toISOString()}|${head.commit}/${head.prepare}`;

/**
 * The LTV models as fitted on the log as of an instant (ltvModelsAsOf over a portfolio replay):
 * the fit a health row of that instant was scored with. A fit reads and folds the whole log,
 * so it is kept per (axis, asOf, head of the log): a series of requests for one instant fits
 * once, and any append (a back-dated event may change the past on the occurred axis) makes the
 * next request refit. The head is the last checkpoint this process has read; each request reads
 * only what was appended since, in one round trip when nothing was.
 */
@Injectable()
export class LtvModelsAsOfCache {
  private readonly fits = new LruMap<string, Promise<LtvModels>>(LTV_FITS_KEPT);
  private head: Checkpoint | null = null;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async modelsAsOf(asOf: AsOfInstant): Promise<LtvModels> {
    const head = await this.readHead();
    const key = head === null ? null : keyOf(asOf, head);
    const kept = key === null ? undefined : this.fits.get(key);
    if (kept !== undefined) return kept;
    const fitting = this.fit(asOf);
    // Requests for the same instant arriving while it fits wait for this fit rather than start theirs.
    const models = fitting.then(({ models }) => models);
    if (key !== null) this.fits.set(key, models);
    try {
      const { end } = await fitting;
      this.fits.set(keyOf(asOf, end), models);
      this.advanceHeadTo(end);
      return await models;
    } catch (error) {
      if (key !== null) this.fits.delete(key);
      throw error;
    }
  }

  /** Null until a fit has read the log once: nothing is kept before, so there is nothing to look up. */
  private async readHead(): Promise<Checkpoint | null> {
    if (this.head === null) return null;
    let batch = await this.store.readAll({ after: this.head, limit: LOG_PAGE });
    while (batch.events.length === LOG_PAGE) batch = await this.store.readAll({ after: batch.checkpoint, limit: LOG_PAGE });
    this.advanceHeadTo(batch.checkpoint);
    return batch.checkpoint;
  }

  private advanceHeadTo(checkpoint: Checkpoint): void {
    if (this.head === null || compareCheckpoints(checkpoint, this.head) > 0) this.head = checkpoint;
  }

  private async fit(asOf: AsOfInstant): Promise<{ models: LtvModels; end: Checkpoint }> {
    const log = { end: START };
    const replay = await replayPortfolio(wholeLog(this.store, log), { asOf: asOf.at, axis: asOf.axis });
    return { models: ltvModelsAsOf(replay), end: log.end };
  }
}

/** Every event in log order, noting in `reached.end` the checkpoint the read got to. */
async function* wholeLog(store: EventStore, reached: { end: Checkpoint }): AsyncGenerator<EventEnvelope> {
  for (let batch = await store.readAll({ limit: LOG_PAGE }); batch.events.length > 0; batch = await store.readAll({ after: batch.checkpoint, limit: LOG_PAGE })) {
    reached.end = batch.checkpoint;
    yield* batch.events;
  }
}
