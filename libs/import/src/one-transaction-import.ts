import { WriteDeadlockError, WrongExpectedRevisionError, type EventEnvelope, type EventStore, type NewEvent } from '@ahe/event-store';
import { admitLine, ledgerOf, type AccountLedger, type ImportMetadata } from './account-ledger';
import { ImportConflictError } from './import.errors';
import type { LineWindow } from './line-windows';

/** SqlEventStore.importTransaction and the writer it hands out (import-transaction.ts in the event store). */
export interface TransactionalImportStore extends EventStore {
  importTransaction<T>(work: (writer: ImportWriter) => Promise<T>): Promise<T>;
}

interface ImportWriter {
  lockStreams(streamIds: readonly string[]): Promise<Map<string, EventEnvelope[]>>;
  write(writes: readonly { readonly streamId: string; readonly events: readonly NewEvent[] }[]): Promise<number>;
  record(text: string, params: readonly unknown[]): Promise<void>;
}

/** A statement of the caller's to commit with the import (ImportOptions.commitWith). */
export interface CommittedStatement {
  readonly text: string;
  readonly params: readonly unknown[];
}

export function importsInOneTransaction(store: EventStore): store is TransactionalImportStore {
  return typeof (store as Partial<TransactionalImportStore>).importTransaction === 'function';
}

export interface WindowContext {
  readonly now: string;
  readonly metadata: ImportMetadata;
  /** After each window's lines are admitted. */
  readonly onWindow: (window: LineWindow) => void;
  /** Once every line is valid: `written` of the `total` events are stored (or, in one transaction, written). */
  readonly onValidated: (written: number, total: number) => void;
  /** ImportOptions.signal: checked again once every line is valid, before anything is committed or appended. */
  readonly signal?: AbortSignal;
  /** In one transaction: the statement to run once every event is written, before the commit. */
  readonly commitWith?: (counts: ImportCounts) => CommittedStatement;
}

export interface ImportCounts {
  readonly events: number;
  readonly accounts: number;
}

/**
 * The whole import as one transaction of the store: a window's accounts are locked and loaded,
 * its lines admitted and its events written while the next window is read and its accounts
 * locked, so validating and writing overlap, and an invalid line rolls everything back.
 * Accounts are locked as the file first names them, so no writer can slip in between
 * validation and write; one that wrote an account after the import began refuses it (409).
 */
export async function importInOneTransaction(
  store: TransactionalImportStore,
  windows: AsyncIterator<LineWindow>,
  context: WindowContext,
): Promise<ImportCounts> {
  try {
    return await store.importTransaction((writer) => importWindows(writer, windows, context));
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) throw new ImportConflictError(error.streamId, { events: 0, accounts: 0 }, error);
    if (error instanceof WriteDeadlockError) throw new ImportConflictError(null, { events: 0, accounts: 0 }, error);
    throw error;
  } finally {
    // A refused import stops reading: the source is closed as a for-await loop would close it.
    await windows.return?.(undefined);
  }
}

/** Lines of the last window written by one statement. */
const TAIL_PART = 250;

async function importWindows(writer: ImportWriter, windows: AsyncIterator<LineWindow>, context: WindowContext): Promise<ImportCounts> {
  const ledgers = new Map<string, AccountLedger>();
  const named = new Set<string>();
  const writes: Promise<number>[] = [];
  let events = 0;
  let stored = 0;
  const write = (touched: ReadonlySet<AccountLedger>): void => {
    const written = writer.write([...touched].map((ledger) => ({ streamId: ledger.streamId, events: ledger.events })));
    written.then((count) => (stored += count), () => undefined);
    writes.push(written);
    // Sealed by write: the events are no longer needed.
    for (const ledger of touched) ledger.events.length = 0;
  };

  // Locks and loads the accounts a window names first; its statement runs after the writes
  // already queued, while this process admits the window before it.
  const lockAccountsOf = (window: LineWindow): Promise<void> => {
    const streams = new Map<string, string>();
    for (const { accountId, streamId } of window.lines) {
      if (!named.has(accountId)) {
        named.add(accountId);
        streams.set(streamId, accountId);
      }
    }
    const locked = writer.lockStreams([...streams.keys()]).then((held) => {
      for (const [streamId, accountId] of streams) ledgers.set(accountId, ledgerOf(accountId, streamId, held.get(streamId)!));
    });
    // Awaited in turn; an import refused before then must not leave it unhandled.
    locked.catch(() => undefined);
    return locked;
  };

  let current = await windows.next();
  let currentLocked = current.done ? undefined : lockAccountsOf(current.value);
  while (!current.done) {
    const window = current.value;
    const next = window.malformed ? undefined : await windows.next();
    const nextLocked = next && !next.done ? lockAccountsOf(next.value) : undefined;
    await currentLocked;
    // The last window is written in parts as it is admitted: what is left to write once the
    // last line is valid (before the heads move and the commit) is one part, not a window.
    const part = next?.done ? TAIL_PART : Infinity;
    let touched = new Set<AccountLedger>();
    for (let index = 0; index < window.lines.length; index++) {
      const line = window.lines[index]!;
      const ledger = ledgers.get(line.accountId)!;
      admitLine(ledger, line, context.now, context.metadata);
      touched.add(ledger);
      if ((index + 1) % part === 0 && index + 1 < window.lines.length) {
        write(touched);
        touched = new Set();
      }
    }
    if (window.malformed) throw window.malformed;
    write(touched);
    events += window.lines.length;
    context.onWindow(window);
    current = next ?? { done: true, value: undefined };
    currentLocked = nextLocked;
  }
  context.onValidated(stored, events);
  await Promise.all(writes);
  context.signal?.throwIfAborted();
  const counts = { events, accounts: ledgers.size };
  const statement = context.commitWith?.(counts);
  if (statement) await writer.record(statement.text, statement.params);
  return counts;
}
