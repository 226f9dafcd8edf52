import type { EventStore } from '@ahe/event-store';
import { Cohort, ReaderFeed, type CohortHost, type FeedOptions, type LogFeed, type LogReader } from './log-cohort';

export type { FeedOptions, LogFeed, LogReader } from './log-cohort';

/**
 * Reads the log once for the paced readers at the same checkpoint with the same batch size
 * (generations being built, and serving ones on their way to the head: a first catch-up of
 * every read model over an imported log, or a projector that was down): such readers form a
 * cohort fed by one subscription, each batch handed to every member, the next read once every
 * member has taken it (so each keeps its own read-ahead, one batch deep, and the cohort moves
 * at its slowest member's pace: a rebuild or a catch-up ends with its slowest read model
 * anyway). Each member still writes, fences and checkpoints on its own. Every other reader
 * has a subscription of its own, as does a member once it is no longer paced (swapped in, or
 * serving at the head). Two cohorts that reach the same checkpoint become one.
 */
export class SharedLog implements CohortHost {
  private readonly cohorts = new Set<Cohort>();
  private holds = 0;
  private readonly held: (() => void)[] = [];

  constructor(private readonly store: EventStore) {}

  /**
   * Cohorts opened until the returned release is called wait to read their first batch: the
   * engine's start holds them while it takes every projection, whose runners start one by one
   * as their set-up (locks, tables) completes, so that all of them at one checkpoint join one
   * cohort instead of the first ones reading ahead alone.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) for (const start of this.held.splice(0)) start();
    };
  }

  /** @internal Runs `start` now, or once nothing holds the cohorts. */
  whenReleased(start: () => void): void {
    if (this.holds === 0) start();
    else this.held.push(start);
  }

  attach(reader: LogReader, options: FeedOptions): LogFeed {
    const feed = new ReaderFeed(this.store, reader, options);
    if (!reader.paced) feed.subscribeFrom(options.from);
    else {
      const cohort = [...this.cohorts].find((found) => found.accepts(options)) ?? this.open(options);
      cohort.join(feed);
    }
    return feed;
  }

  /** Cohorts reading now; for specs. */
  get cohortCount(): number {
    return this.cohorts.size;
  }

  private open(options: FeedOptions): Cohort {
    const cohort = new Cohort(this.store, options, this);
    this.cohorts.add(cohort);
    return cohort;
  }

  /** @internal */
  closed(cohort: Cohort): void {
    this.cohorts.delete(cohort);
  }

  /** @internal A cohort has reached `position`: others there with the same batch size join it. */
  merge(into: Cohort): void {
    for (const other of this.cohorts) if (other !== into && other.accepts({ batchSize: into.batchSize, metadata: into.metadata, from: into.position })) other.moveTo(into);
  }
}
