import { randomUUID } from 'node:crypto';
import { NO_STREAM, type EventStoreDBClient } from '@eventstore/db-client';
import { DuplicateEventIdError } from '../errors';
import { isWrongExpectedVersion } from './esdb-errors';
import type { EsdbRecordedEvent } from './esdb-event-layout';
import { readStreamEvents } from './esdb-reads';

export const CLAIM_FORMAT = 'ahe.event-id-claim/1';
export const CLAIM_TYPE = 'AheEventIdClaimed';

/**
 * EventStoreDB has no index of event ids across streams, so nothing stops one id from being
 * stored in two streams. The port forbids that (an id is an idempotency key). A caller-chosen
 * id is therefore claimed first, in a stream of its own created with expected revision
 * "no stream": the first stream to claim it owns it for good. Random ids the store makes up
 * itself need no claim. The claim streams hold no engine envelope, so $all readers skip them.
 */
export function claimStreamName(eventId: string): string {
  return `ahe_event_id-${eventId}`;
}

/** A fresh EventStoreDB id each time: the server's own id dedup must not accept a rival claim. */
export function claimEvent(streamId: string) {
  return { id: randomUUID(), contentType: 'application/json' as const, type: CLAIM_TYPE, data: { streamId }, metadata: { format: CLAIM_FORMAT } };
}

/** The stream a recorded claim gives the id to, or undefined if it is not a claim. */
export function claimedStream(event: EsdbRecordedEvent): string | undefined {
  const data = event.data as { streamId?: unknown } | undefined;
  const meta = event.metadata as { format?: unknown } | undefined;
  return event.type === CLAIM_TYPE && meta?.format === CLAIM_FORMAT && typeof data?.streamId === 'string' ? data.streamId : undefined;
}

/**
 * Claims each id for `streamId`; refuses the batch if any id already belongs to another stream.
 * Resolves to true when every claim is new: then no append can have stored these ids yet
 * (every store claims first), and the caller may skip scanning the stream for them.
 */
export async function claimEventIds(client: EventStoreDBClient, streamId: string, eventIds: readonly string[]): Promise<boolean> {
  const claims = await Promise.all(eventIds.map((eventId) => claimOne(client, streamId, eventId)));
  const taken = eventIds.filter((_, index) => claims[index]!.owner !== streamId);
  if (taken.length > 0) throw new DuplicateEventIdError(taken, 'already stored in another stream');
  return claims.every((claim) => claim.fresh);
}

async function claimOne(client: EventStoreDBClient, streamId: string, eventId: string): Promise<{ owner?: string; fresh: boolean }> {
  try {
    await client.appendToStream(claimStreamName(eventId), [claimEvent(streamId)], { expectedRevision: NO_STREAM });
    return { owner: streamId, fresh: true };
  } catch (error) {
    if (!isWrongExpectedVersion(error)) throw error;
  }
  for await (const event of readStreamEvents(client, claimStreamName(eventId), { maxCount: 1 })) {
    return { owner: claimedStream(event), fresh: false };
  }
  return { fresh: false };
}
