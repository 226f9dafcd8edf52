import type { AppendResult, EventStore, ExpectedRevision, NewEvent } from '@ahe/event-store';
import { WrongExpectedRevisionError } from '@ahe/event-store';
import type { AccountLedger } from './account-ledger';
import { ImportConflictError } from './import.errors';

/** A store that appends to several streams in one transaction (SqlEventStore.appendStreams). */
export interface MultiStreamStore extends EventStore {
  appendStreams(writes: readonly { streamId: string; events: readonly NewEvent[]; expected: ExpectedRevision }[]): Promise<AppendResult[]>;
}

export function writesSeveralStreams(store: EventStore): store is MultiStreamStore {
  return typeof (store as Partial<MultiStreamStore>).appendStreams === 'function';
}

/** Events per transaction: one disk sync per this many events instead of one per account. */
export const GROUP_EVENTS = 2_000;

interface Chunk {
  readonly ledger: AccountLedger;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  /** The group holding this account's previous chunk: it must commit first. */
  readonly after?: Group;
  readonly lastOfAccount: boolean;
}

interface Group {
  readonly chunks: Chunk[];
  events: number;
  done?: Promise<void>;
}

/**
 * Cuts every account into chunks of `batchSize` events, each expecting the revision the one
 * before leaves, and packs consecutive chunks of different accounts into groups of about
 * GROUP_EVENTS events. An account's chunks stay in order: a chunk's group waits for the
 * group of the chunk before it.
 */
export function groupLedgers(ledgers: readonly AccountLedger[], batchSize: number): Group[] {
  const groups: Group[] = [];
  let current: Group = { chunks: [], events: 0 };
  for (const ledger of ledgers) {
    let previous: Group | undefined;
    for (let offset = 0; offset < ledger.events.length; offset += batchSize) {
      const events = ledger.events.slice(offset, offset + batchSize);
      const revision = ledger.baseRevision + offset;
      if (current.events >= GROUP_EVENTS || previous === current) {
        groups.push(current);
        current = { chunks: [], events: 0 };
      }
      current.chunks.push({
        ledger, events, expected: revision === -1 ? 'no_stream' : revision, after: previous,
        lastOfAccount: offset + batchSize >= ledger.events.length,
      });
      current.events += events.length;
      previous = current;
    }
  }
  if (current.chunks.length > 0) groups.push(current);
  return groups;
}

export interface GroupedAppendOptions {
  readonly concurrency: number;
  readonly onAppended: (done: number, total: number) => void;
}

/** Appends the groups, `concurrency` transactions at a time; answers the number of events appended. */
export async function appendGroups(store: MultiStreamStore, groups: readonly Group[], total: number, options: GroupedAppendOptions): Promise<number> {
  let appended = 0;
  let accountsDone = 0;
  let conflict: WrongExpectedRevisionError | undefined;
  let failed = false;
  let next = 0;

  const appendGroup = async (group: Group) => {
    await Promise.all(group.chunks.map((chunk) => chunk.after?.done));
    if (conflict || failed) return;
    try {
      await store.appendStreams(group.chunks.map((chunk) => ({
        streamId: chunk.ledger.streamId, events: chunk.events, expected: chunk.expected,
      })));
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      conflict ??= error;
      return;
    }
    // Reported per account's batch, as when each is its own append.
    for (const chunk of group.chunks) {
      appended += chunk.events.length;
      if (chunk.lastOfAccount) accountsDone += 1;
      options.onAppended(appended, total);
    }
  };

  const worker = async () => {
    while (!conflict && !failed && next < groups.length) {
      const group = groups[next++]!;
      group.done = appendGroup(group).catch((error: unknown) => {
        // The other workers finish their current group and take no new one.
        failed = true;
        throw error;
      });
      await group.done;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  if (conflict) throw new ImportConflictError(conflict.streamId, { events: appended, accounts: accountsDone }, conflict);
  return appended;
}
