import { Readable } from 'node:stream';
import type { EventStore } from '@ahe/event-store';

/** Events read per round trip: big enough to keep the store busy, small enough to bound memory. */
export const EXPORT_PAGE_SIZE = 1000;

export interface ExportRange {
  readonly streamId: string;
  /** Inclusive; the head when the export started, so appends made meanwhile are not half-included. */
  readonly lastRevision?: number;
  readonly pageSize?: number;
}

interface NdjsonPage {
  readonly text: string;
  readonly events: number;
  readonly lastRevision: number;
}

/** One page of the stream at a time, as NDJSON text: one envelope a line, revision order. */
async function* ndjsonPages(store: EventStore, range: ExportRange): AsyncGenerator<NdjsonPage> {
  const pageSize = range.pageSize ?? EXPORT_PAGE_SIZE;
  for (let from = 0; range.lastRevision === undefined || from <= range.lastRevision; ) {
    const limit = range.lastRevision === undefined ? pageSize : Math.min(pageSize, range.lastRevision - from + 1);
    const events = await store.readStream(range.streamId, { fromRevision: from, limit });
    if (events.length === 0) return;
    const lastRevision = events[events.length - 1]!.revision;
    yield { text: events.map((event) => `${JSON.stringify(event)}\n`).join(''), events: events.length, lastRevision };
    if (events.length < limit) return;
    from = lastRevision + 1;
  }
}

export interface ExportProgress {
  readonly events: number;
  readonly lastRevision: number | null;
}

/**
 * The stream as a Readable of NDJSON that reads the next page only when the previous one has
 * drained into the response (Readable.from pulls on demand), so memory stays at a page or two
 * whatever the stream's length. The first page is read before anything is sent: a store that
 * fails at once gets an error status instead of an empty 200. A failure after that destroys
 * the Readable, which makes Fastify destroy the response: the chunked body then ends without
 * its last chunk, which HTTP clients report as an incomplete (aborted) response.
 */
export async function ndjsonExport(
  store: EventStore,
  range: ExportRange,
  onFailure: (error: unknown, sent: ExportProgress) => void,
): Promise<Readable> {
  const pages = ndjsonPages(store, range);
  const first = await pages.next();
  const progress = { events: 0, lastRevision: null as number | null };
  async function* lines(): AsyncGenerator<string> {
    if (first.done) return;
    try {
      for (let page: IteratorResult<NdjsonPage> = first; !page.done; page = await pages.next()) {
        yield page.value.text;
        progress.events += page.value.events;
        progress.lastRevision = page.value.lastRevision;
      }
    } catch (error) {
      onFailure(error, { ...progress });
      throw error;
    }
  }
  return Readable.from(lines(), { objectMode: false });
}
