import { setTimeout as sleep } from 'node:timers/promises';
import { accountStreamId, decide, evolve, initialState, type AccountCommand, type AccountState, type FoldableEvent } from '@ahe/domain';
import { currentSchemaVersion, upcast } from '@ahe/events';
import { WrongExpectedRevisionError, type AppendResult, type EventStore } from '@ahe/event-store';

/** Enough for a burst of concurrent writers on one account; each retry re-reads and re-decides. */
const MAX_ATTEMPTS = 25;

export interface AccountCommandMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  /** `role:keyId` of the API key, `anonymous`, or `system:escalations`; never a key. */
  readonly actor: string;
  readonly idempotencyKey?: string;
}

export interface AccountCommandOptions {
  /** Business time; defaults to `now`. */
  readonly occurredAt?: string;
  /** From If-Match: a mismatch is a conflict and is not retried. */
  readonly expectedRevision?: number;
  readonly metadata: AccountCommandMetadata;
  /** Ids for the decided events by index, stable across retries. */
  readonly eventIdOf?: (index: number) => string;
  /**
   * Checked on the state each attempt folds, before deciding; throws to give up. A worker's
   * precondition (the complaint is still open) then holds for the very revision it appends at:
   * a concurrent write makes the append conflict, and the retry checks again.
   */
  readonly guard?: (state: AccountState) => void;
}

/**
 * Load, fold, decide, append at the revision read: the one way a command reaches an account's
 * stream, from the API's command bus and from the escalation workers alike. Without an
 * expected revision, a conflict with a concurrent writer is retried on the new state.
 */
export async function runAccountCommand(
  store: EventStore,
  accountId: string,
  command: AccountCommand,
  options: AccountCommandOptions,
  now: () => Date,
): Promise<AppendResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptAccountCommand(store, accountId, command, options, now().toISOString());
    } catch (error) {
      const retry = error instanceof WrongExpectedRevisionError && options.expectedRevision === undefined;
      if (!retry || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(Math.random() * 2 * attempt);
    }
  }
}

async function attemptAccountCommand(
  store: EventStore,
  accountId: string,
  command: AccountCommand,
  options: AccountCommandOptions,
  now: string,
): Promise<AppendResult> {
  const streamId = accountStreamId(accountId);
  const history = await store.readStream(streamId);
  const revision = history.at(-1)?.revision ?? -1;
  if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
    throw new WrongExpectedRevisionError(streamId, options.expectedRevision, revision);
  }
  const state = history.reduce(
    (folded, event) => evolve(folded, { ...upcast(event), occurredAt: event.occurredAt } as FoldableEvent),
    initialState(),
  );
  options.guard?.(state);
  const occurredAt = options.occurredAt ?? now;
  const events = decide(command, state, { now, occurredAt, accountId });
  const newEvents = events.map((event, index) => ({
    ...(options.eventIdOf ? { eventId: options.eventIdOf(index) } : {}),
    type: event.type,
    schemaVersion: currentSchemaVersion(event.type),
    occurredAt,
    data: event.data,
    metadata: { ...options.metadata },
  }));
  return store.append(streamId, newEvents, revision === -1 ? 'no_stream' : revision);
}
