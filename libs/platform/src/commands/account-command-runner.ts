import { setTimeout as sleep } from 'node:timers/promises';
import { AccountNotFoundError, accountStreamId, decide, evolve, initialState, type AccountCommand, type AccountState, type FoldableEvent } from '@ahe/domain';
import { currentSchemaVersion } from '@ahe/events';
import { WrongExpectedRevisionError, type AppendResult, type EventStore } from '@ahe/event-store';
import { asStored } from './as-stored';
import { foldedAccountsOf, type FoldedAccount, type FoldedAccounts } from './folded-accounts';

/** Enough for a burst of concurrent writers on one account; each retry re-reads and re-decides. */
const MAX_ATTEMPTS = 25;

export interface AccountCommandMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  /** `role:keyId` of the API key, `anonymous`, or `system:escalations`; never a key. */
  readonly actor: string;
  readonly idempotencyKey?: string;
  /** requestHash of the keyed request: stored with the events, it tells a retry whether they were its own. */
  readonly idempotencyRequest?: string;
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
 * The state folded by the last command on the account is reused (FoldedAccounts): a command
 * usually costs one statement, the append, whose expected revision proves that state current.
 * `store` hands over events at their current versions: the EVENT_STORE view (readingCurrentVersions).
 */
export async function runAccountCommand(
  store: EventStore,
  accountId: string,
  command: AccountCommand,
  options: AccountCommandOptions,
  now: () => Date,
): Promise<AppendResult> {
  const folded = foldedAccountsOf(store);
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptAccountCommand(store, folded, accountId, command, options, now().toISOString());
    } catch (error) {
      folded.delete(accountStreamId(accountId));
      const retry = error instanceof WrongExpectedRevisionError && options.expectedRevision === undefined;
      if (!retry || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(Math.random() * 2 * attempt);
    }
  }
}

async function attemptAccountCommand(
  store: EventStore,
  folded: FoldedAccounts,
  accountId: string,
  command: AccountCommand,
  options: AccountCommandOptions,
  now: string,
): Promise<AppendResult> {
  const streamId = accountStreamId(accountId);
  const cached = folded.get(streamId);
  // A cached state behind the caller's If-Match may only be stale: read the stream then.
  const usable = cached && (options.expectedRevision === undefined || options.expectedRevision === cached.revision);
  const { state, revision } = usable ? cached : await readAccount(store, streamId);
  if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
    // No such account is a 404 whatever revision the caller expected; only opening one may meet none.
    if (revision === -1 && command.type !== 'OpenAccount') throw new AccountNotFoundError(accountId);
    throw new WrongExpectedRevisionError(streamId, options.expectedRevision, revision);
  }
  const occurredAt = options.occurredAt ?? now;
  let events: ReturnType<typeof decide>;
  try {
    options.guard?.(state);
    events = decide(command, state, { now, occurredAt, accountId });
  } catch (error) {
    if (!usable) throw error;
    // A refusal must hold for the stream as it is, not for a state another writer has moved past.
    folded.delete(streamId);
    return attemptAccountCommand(store, folded, accountId, command, options, now);
  }
  const newEvents = events.map((event, index) => ({
    ...(options.eventIdOf ? { eventId: options.eventIdOf(index) } : {}),
    type: event.type,
    schemaVersion: currentSchemaVersion(event.type),
    occurredAt,
    data: event.data,
    metadata: { ...options.metadata },
  }));
  const result = await store.append(streamId, newEvents, revision === -1 ? 'no_stream' : revision);
  if (result.duplicate || result.firstRevision !== revision + 1) {
    folded.delete(streamId);
  } else {
    // What a read would fold: the events as stored (their JSON, the instant in UTC).
    const storedAt = new Date(occurredAt).toISOString();
    const next = newEvents.reduce(
      (before, event) => evolve(before, {
        type: event.type, schemaVersion: event.schemaVersion, data: asStored(event.data), occurredAt: storedAt,
      } as FoldableEvent),
      state,
    );
    folded.set(streamId, { state: next, revision: result.revision });
  }
  return result;
}

async function readAccount(store: EventStore, streamId: string): Promise<FoldedAccount> {
  const history = await store.readStream(streamId);
  return { state: history.reduce((before, event) => evolve(before, event as FoldableEvent), initialState()), revision: history.at(-1)?.revision ?? -1 };
}
