import { accountStreamId } from '@ahe/domain';
import type { EventStore } from '@ahe/event-store';
import type { EarlierAttempt, StoredResponse } from '@ahe/platform';

/** The part of an append's result a command's answer is made of. */
export interface StoredAppend {
  readonly revision: number;
  readonly position: number;
  readonly eventIds: readonly string[];
}

/**
 * What a keyed command's earlier attempt stored on the account, when its answer was never
 * stored (its COMMIT's reply lost): its events, found by the ids the key derives (`eventIdOf`,
 * one append, consecutive from index 0), the request they were for, and whether this one
 * stored them (`correlationId`), from their metadata.
 * Undefined when the stream holds none of them, or they were stored without that metadata.
 */
export async function earlierAttemptOf(
  store: EventStore,
  accountId: string,
  eventIdOf: (index: number) => string,
  correlationId: string,
  answerOf: (append: StoredAppend) => StoredResponse,
): Promise<EarlierAttempt | undefined> {
  const newestFirst = await store.readStream(accountStreamId(accountId), { direction: 'backward' });
  const first = newestFirst.findIndex((event) => event.eventId === eventIdOf(0));
  const requestHash = newestFirst[first]?.metadata.idempotencyRequest;
  if (typeof requestHash !== 'string') return undefined;
  const appended = [newestFirst[first]!];
  for (let index = 1; first - index >= 0 && newestFirst[first - index]!.eventId === eventIdOf(index); index++) appended.push(newestFirst[first - index]!);
  const last = appended[appended.length - 1]!;
  return {
    requestHash,
    byThisRequest: newestFirst[first]!.metadata.correlationId === correlationId,
    response: answerOf({ revision: last.revision, position: last.globalPosition, eventIds: appended.map((event) => event.eventId) }),
  };
}
