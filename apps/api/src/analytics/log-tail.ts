import { compareCheckpoints, START, type Checkpoint, type EventEnvelope, type EventStore } from '@ahe/event-store';

/** Page of the log reads, as in the whole-log replays. */
const LOG_PAGE = 5_000;

/**
 * Follows the end of the log for a cache whose answers an appended event may change: each
 * catch-up hands `take` the events appended since the last one, a page at a time. The first
 * reads the whole log; later ones only what is new. Callers that arrive while a read is under way
 * share the one read after it, so a burst of requests costs two reads, not one per request.
 */
export class LogTail {
  /** Every event up to here has been handed to `take`. */
  private head: Checkpoint = START;
  private reading: Promise<void> | null = null;
  private nextRead: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly take: (events: readonly EventEnvelope[]) => void,
  ) {}

  /** Resolves once every event appended before the call has been handed to `take`. */
  catchUp(): Promise<void> {
    if (this.reading === null) return this.startRead();
    // The read under way may have passed the end before this caller's last event was appended.
    this.nextRead ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.nextRead = null;
        return this.startRead();
      });
    return this.nextRead;
  }

  private startRead(): Promise<void> {
    const read = this.readNew().finally(() => {
      if (this.reading === read) this.reading = null;
    });
    this.reading = read;
    return read;
  }

  /** A failed read leaves the head after the last page taken; the next catch-up goes on from there. */
  private async readNew(): Promise<void> {
    let batch = await this.store.readAll({ after: this.head, limit: LOG_PAGE });
    for (;;) {
      if (batch.events.length > 0) this.take(batch.events);
      if (compareCheckpoints(batch.checkpoint, this.head) > 0) this.head = batch.checkpoint;
      if (batch.events.length < LOG_PAGE) return;
      batch = await this.store.readAll({ after: batch.checkpoint, limit: LOG_PAGE });
    }
  }
}
