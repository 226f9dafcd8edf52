import { accountStreamId } from '@ahe/domain';
import type { EventEnvelope, EventStore } from '@ahe/event-store';
import type { EarlierAttempt, StoredResponse } from '@ahe/platform';

/** The part of an append's result a command's answer is made of. */
export interface StoredAppend {
  readonly revision: number;
  readonly position: number;
  readonly eventIds: readonly string[];
}

/** Events read at a time, newest first: an earlier attempt is usually among the latest. */
const PAGE = 500;

/**
 * What a keyed command's earlier attempt stored on the account, when its answer was never
 * stored (its commit's reply lost): its events, found by the ids the key derives (`eventIdOf`,
 * one append, consecutive from index 0), and the request they were for, from their metadata.
 * Undefined when the stream holds none of them, or they were stored without that metadata.
 */
export async function earlierAttemptOf(
  store: EventStore,
  accountId: string,
  eventIdOf: (index: number) => string,
  answerOf: (append: StoredAppend) => StoredResponse,
): Promise<EarlierAttempt | undefined> {
  const streamId = accountStreamId(accountId);
  const firstId = eventIdOf(0);
  for (let from: number | undefined; from === undefined || from >= 0; ) {
    const page = await store.readStream(streamId, { direction: 'backward', limit: PAGE, ...(from === undefined ? {} : { fromRevision: from }) });
    const first = page.find((event) => event.eventId === firstId);
    if (first) return attemptFrom(store, streamId, first, eventIdOf, answerOf);
    if (page.length < PAGE) return undefined;
    from = page[page.length - 1]!.revision - 1;
  }
  return undefined;
}

async function attemptFrom(
  store: EventStore,
  streamId: string,
  first: EventEnvelope,
  eventIdOf: (index: number) => string,
  answerOf: (append: StoredAppend) => StoredResponse,
): Promise<EarlierAttempt | undefined> {
  const requestHash = first.metadata.idempotencyRequest;
  if (typeof requestHash !== 'string') return undefined;
  // The rest of its append follows it in the stream.
  const after = await store.readStream(streamId, { fromRevision: first.revision + 1, limit: PAGE });
  const appended = [first];
  for (const event of after) {
    if (event.eventId !== eventIdOf(appended.length)) break;
    appended.push(event);
  }
  const last = appended[appended.length - 1]!;
  return { requestHash, response: answerOf({ revision: last.revision, position: last.globalPosition, eventIds: appended.map((event) => event.eventId) }) };
}
