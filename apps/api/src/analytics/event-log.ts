import type { EventEnvelope, EventStore } from '@ahe/event-store';
import { replayPortfolio, type PortfolioReplay, type ReplayOptions } from '@ahe/read-models';

/** Page size of the whole-log read: large pages, few round trips, bounded memory per page. */
const PAGE = 5_000;

/** Every event of the store in log order, a page at a time. */
async function* wholeLog(store: EventStore): AsyncGenerator<EventEnvelope> {
  for (let batch = await store.readAll({ limit: PAGE }); batch.events.length > 0; batch = await store.readAll({ after: batch.checkpoint, limit: PAGE })) {
    yield* batch.events;
  }
}

/** The portfolio as of an instant, replayed from the whole log: the cost of every as-of analytics answer. */
export function replayStore(store: EventStore, options: ReplayOptions): Promise<PortfolioReplay> {
  return replayPortfolio(wholeLog(store), options);
}
