import { performance } from 'node:perf_hooks';
import { WrongExpectedRevisionError, type AppendResult, type EventStore, type ExpectedRevision, type NewEvent } from '@ahe/event-store';
import type { MetricsService } from '../metrics/metrics.service';

/**
 * The process's store as the rest of the app sees it: the same port, with appends, conflicts
 * and append latency counted for /metrics. Reads pass straight through. A store that writes
 * several streams in one transaction (`appendStreams`, the SQL stores' bulk import path) is
 * counted the same way, one append per stream, and so is a bulk import's transaction
 * (`importTransaction`), once it has committed.
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

  type ImportWriter = {
    lockStreams(streamIds: readonly string[]): Promise<unknown>;
    write(writes: readonly { readonly streamId: string; readonly events: readonly NewEvent[] }[]): Promise<number>;
    record(text: string, params: readonly unknown[]): Promise<void>;
  };
  const bulk = (store as Partial<{ importTransaction<T>(work: (writer: ImportWriter) => Promise<T>): Promise<T> }>).importTransaction;
  const importTransaction = async <T>(work: (writer: ImportWriter) => Promise<T>): Promise<T> => {
    const byType = new Map<string, number>();
    const streams = new Set<string>();
    try {
      const result = await bulk!.call<EventStore, [(writer: ImportWriter) => Promise<T>], Promise<T>>(store, (writer) =>
        work({
          lockStreams: (streamIds) => writer.lockStreams(streamIds),
          write: (writes) => {
            for (const { streamId, events: batch } of writes) {
              streams.add(streamId);
              for (const event of batch) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
            }
            return writer.write(writes);
          },
          record: (text, params) => writer.record(text, params),
        }),
      );
      // Counted at commit: an import refused or rolled back stored nothing.
      appends.inc({ outcome: 'written' }, streams.size);
      for (const [type, count] of byType) events.inc({ type }, count);
      return result;
    } catch (error) {
      // An invalid line refuses an import too: that is the importer's failure, not an append's.
      if (error instanceof WrongExpectedRevisionError) appends.inc({ outcome: 'conflict' });
      throw error;
    }
  };

  const wrapped: Record<PropertyKey, unknown> = { append };
  if (multi !== undefined) wrapped.appendStreams = appendStreams;
  if (bulk !== undefined) wrapped.importTransaction = importTransaction;
  return new Proxy(store, {
    get: (target, key, receiver) => (Object.hasOwn(wrapped, key) ? wrapped[key] : Reflect.get(target, key, receiver)),
  });
}
