import { BACKWARDS, END, FORWARDS, START, type EventStoreDBClient } from '@eventstore/db-client';
import type { Checkpoint } from '../event-store.port';
import { isStreamNotFound } from './esdb-errors';
import type { EsdbRecordedEvent } from './esdb-event-layout';
import { isPast, readPositionAfter } from './esdb-positions';

/**
 * Thin, typed wrappers over the client's streaming reads: a missing stream reads as empty, and
 * link events without a target (a deleted stream's links) are dropped.
 */
export async function* readStreamEvents(
  client: EventStoreDBClient,
  streamId: string,
  options: { backward?: boolean; fromRevision?: number; maxCount?: number },
): AsyncGenerator<EsdbRecordedEvent> {
  const read = client.readStream(streamId, {
    direction: options.backward ? BACKWARDS : FORWARDS,
    fromRevision: options.fromRevision === undefined ? (options.backward ? END : START) : BigInt(options.fromRevision),
    ...(options.maxCount !== undefined && { maxCount: options.maxCount }),
  });
  try {
    for await (const resolved of read) {
      if (resolved.event) yield resolved.event as EsdbRecordedEvent;
    }
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
  }
}

/**
 * One page of $all strictly after `after`. `fromPosition` is inclusive, so the event at the
 * checkpoint itself comes back first and is skipped. System events are skipped by the caller,
 * which is why a page may hold fewer engine events than `maxCount`.
 */
export async function readAllPage(
  client: EventStoreDBClient,
  after: Checkpoint,
  maxCount: number,
): Promise<{ events: EsdbRecordedEvent[]; exhausted: boolean }> {
  const events: EsdbRecordedEvent[] = [];
  let seen = 0;
  for await (const resolved of client.readAll({ direction: FORWARDS, fromPosition: readPositionAfter(after), maxCount: maxCount + 1 })) {
    seen++;
    const event = resolved.event as EsdbRecordedEvent | undefined;
    if (event?.position && isPast(event.position, after)) events.push(event);
  }
  return { events, exhausted: seen < maxCount + 1 };
}

/** The stream's last event, if any: the head the next append builds its chain on. */
export async function readLastEvent(client: EventStoreDBClient, streamId: string): Promise<EsdbRecordedEvent | undefined> {
  for await (const event of readStreamEvents(client, streamId, { backward: true, maxCount: 1 })) return event;
  return undefined;
}
