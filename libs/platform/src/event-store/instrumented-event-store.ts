import { performance } from 'node:perf_hooks';
import { WrongExpectedRevisionError, type AppendResult, type EventStore, type ExpectedRevision, type NewEvent } from '@ahe/event-store';
import type { MetricsService } from '../metrics/metrics.service';

/**
 * The process's store as the rest of the app sees it: the same port, with appends, conflicts
 * and append latency counted for /metrics. Reads pass straight through. A store that writes
 * several streams in one transaction (`appendStreams`, the SQL stores' bulk import path) is
 * counted the same way, one append per stream.
 */
export function instrumentEventStore(store: EventStore, metrics: MetricsService): EventStore {
  const events = metrics.counter<'type'>({ name: 'ahe_events_appended_total', help: 'Events appended, by event type', labelNames: ['type'] });
  const appends = metrics.counter<'outcome'>({
    name: 'ahe_appends_total',
    help: 'Append calls by outcome: written, duplicate (idempotent retry), conflict (expected revision), error',
    labelNames: ['outcome'],
  });
  const latency = metrics.histogram({
    name: 'ahe_append_duration_seconds',
    help: 'Time to append one batch, commit included',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  });

  const append = async (streamId: string, batch: readonly NewEvent[], expected?: ExpectedRevision): Promise<AppendResult> => {
    const started = performance.now();
    try {
      const result = await store.append(streamId, batch, expected);
      appends.inc({ outcome: result.duplicate ? 'duplicate' : 'written' });
      if (!result.duplicate) for (const event of batch) events.inc({ type: event.type });
      return result;
    } catch (error) {
      appends.inc({ outcome: error instanceof WrongExpectedRevisionError ? 'conflict' : 'error' });
      throw error;
    } finally {
      latency.observe((performance.now() - started) / 1000);
    }
  };

  type StreamWrite = { readonly streamId: string; readonly events: readonly NewEvent[]; readonly expected: ExpectedRevision };
  const multi = (store as Partial<{ appendStreams(writes: readonly StreamWrite[]): Promise<AppendResult[]> }>).appendStreams;
  const appendStreams = async (writes: readonly StreamWrite[]): Promise<AppendResult[]> => {
    const started = performance.now();
    try {
      const results = await multi!.call(store, writes);
      results.forEach((result, index) => {
        appends.inc({ outcome: result.duplicate ? 'duplicate' : 'written' });
        if (!result.duplicate) for (const event of writes[index]!.events) events.inc({ type: event.type });
      });
      return results;
    } catch (error) {
      appends.inc({ outcome: error instanceof WrongExpectedRevisionError ? 'conflict' : 'error' });
      throw error;
    } finally {
      latency.observe((performance.now() - started) / 1000);
    }
  };

  return new Proxy(store, {
    get: (target, key, receiver) =>
      key === 'append' ? append : key === 'appendStreams' && multi !== undefined ? appendStreams : Reflect.get(target, key, receiver),
  });
}
