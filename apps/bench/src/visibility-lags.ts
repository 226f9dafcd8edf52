import { performance } from 'node:perf_hooks';
import type { EventStore, GlobalBatch } from '@ahe/event-store';
import { ACCOUNT_HEALTH } from '@ahe/read-models';
import type { CommittedAppend } from './steady-appends';

/** waitUntilCaughtUp may answer between a batch's commit and its report: wait for the report of the last append. */
export async function untilApplied(appends: readonly CommittedAppend[], applied: readonly { rank: number }[], order: LogOrder, timeoutMs: number): Promise<void> {
  const last = Math.max(...appends.map((append) => order.rankOf(append.position)));
  const deadline = performance.now() + timeoutMs;
  while ((applied.at(-1)?.rank ?? -1) < last) {
    if (performance.now() > deadline) throw new Error(`${ACCOUNT_HEALTH} did not report the last append applied within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Each append's lag: the first committed account_health batch whose last event comes at or after it in log order. */
export function visibilityLags(appends: readonly CommittedAppend[], applied: readonly { at: number; rank: number }[], order: LogOrder): number[] {
  const byRank = appends.map((append) => ({ ...append, rank: order.rankOf(append.position) })).sort((a, b) => a.rank - b.rank);
  const lags: number[] = [];
  let mark = 0;
  for (const append of byRank) {
    while (mark < applied.length && applied[mark]!.rank < append.rank) mark++;
    if (mark === applied.length) throw new Error(`event at position ${append.position} was never reported applied to ${ACCOUNT_HEALTH}`);
    lags.push(Math.max(0, applied[mark]!.at - append.committedAt));
  }
  return lags;
}

/**
 * The global log's order as the subscriptions read it: a rank per position. Every subscription
 * reads the same order, so the first to reach an event ranks it.
 */
export class LogOrder {
  private readonly ranks = new Map<number, number>();

  rankOf(position: number): number {
    const rank = this.ranks.get(position);
    if (rank === undefined) throw new Error(`position ${position} was never read by a subscription`);
    return rank;
  }

  watch(store: EventStore): EventStore {
    const note = (batch: GlobalBatch) => {
      for (const event of batch.events) if (!this.ranks.has(event.globalPosition)) this.ranks.set(event.globalPosition, this.ranks.size);
    };
    // The store itself underneath (the engine's log probe recognises a SqlEventStore), its subscriptions watched.
    const watched = Object.create(store) as EventStore;
    watched.subscribe = (handler, subscribeOptions) => store.subscribe(async (batch) => {
      note(batch);
      await handler(batch);
    }, subscribeOptions);
    return watched;
  }
}
