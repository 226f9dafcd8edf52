import { randomUUID } from 'node:crypto';
import type { EventStore } from '@ahe/event-store';
import type { ImportMetadata } from './account-ledger';
import { lineWindows } from './line-windows';
import type { NdjsonSource } from './ndjson-lines';
import { importInOneTransaction, importsInOneTransaction, type CommittedStatement, type WindowContext } from './one-transaction-import';
import { validateThenAppend } from './validate-then-append';

export interface ImportProgress {
  readonly phase: 'validate' | 'append';
  /** validate: the number of the last line read (blank lines count); append: events appended. */
  readonly done: number;
  /** validate: the expected line count when the caller knows it, else null; append: events to append. */
  readonly total: number | null;
}

export interface ImportOptions {
  /** Server time for the "not in the future" rule; defaults to the clock at the start. */
  readonly now?: string;
  /** Stores without one import transaction (EventStoreDB): events per append, each an atomic write with an expected revision. */
  readonly batchSize?: number;
  /** Stores without one import transaction: accounts appended at a time. */
  readonly concurrency?: number;
  readonly totalLines?: number;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Stamped on every event's metadata, with the import's id as correlationId. */
  readonly actor?: string;
  readonly importId?: string;
  /**
   * Stops the import between windows of lines, or once they are all valid: it fails with the
   * signal's reason and nothing is stored. In one transaction (the SQL stores) that holds until
   * the commit; elsewhere (EventStoreDB) until the first append, after which it runs to its end.
   */
  readonly signal?: AbortSignal;
  /**
   * On the SQL stores: a statement run in the import's transaction once every event is written,
   * so that what it records (an Idempotency-Key's answer) commits with the events or not at all,
   * a COMMIT whose reply was lost included. Other stores (EventStoreDB) have no such transaction
   * and do not run it.
   */
  readonly commitWith?: (result: ImportResult) => CommittedStatement;
}

export interface ImportResult {
  readonly importId: string;
  /** Non-blank lines read, one event each. */
  readonly lines: number;
  readonly events: number;
  readonly accounts: number;
  readonly streams: number;
}

/**
 * Lines per window: the accounts a window names are loaded (and, in one transaction, locked)
 * together, and its events written by one statement. In one transaction nothing is written
 * until the first window is valid, so the first ones are small. Two windows are held at a time
 * (one admitted, the next parsed), and every scavenge of the young heap copies what they hold:
 * windows of 2,000 lines cost 1 to 2 µs of CPU an event more than 1,000, mostly in collecting.
 */
const WINDOWS = [250, 500, 1_000];
const WINDOW = WINDOWS[WINDOWS.length - 1]!;

/**
 * Validates every line of an NDJSON import against the schemas and the account rules, folding
 * each account from its current state in the store, and stores the events only if every line
 * is valid. On the SQL stores the import is one transaction that writes each window as soon as
 * it is valid (one-transaction-import.ts); elsewhere every line is validated before the first
 * append (validate-then-append.ts). See README.md.
 */
export async function importNdjson(store: EventStore, source: NdjsonSource, options: ImportOptions = {}): Promise<ImportResult> {
  const importId = options.importId ?? randomUUID();
  const report = options.onProgress ?? (() => undefined);
  let lines = 0;
  let lastLine = 0;
  const context: WindowContext = {
    now: options.now ?? new Date().toISOString(),
    metadata: { correlationId: importId, actor: options.actor ?? 'import' } satisfies ImportMetadata,
    onWindow: (window) => {
      lines += window.lines.length;
      lastLine = window.lastLine;
      if (window.lines.length >= WINDOW) report({ phase: 'validate', done: lastLine, total: options.totalLines ?? null });
    },
    onValidated: (written, total) => {
      report({ phase: 'validate', done: lastLine, total: lastLine });
      report({ phase: 'append', done: written, total });
    },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.commitWith ? { commitWith: ({ events, accounts }) => options.commitWith!({ importId, lines, events, accounts, streams: accounts }) } : {}),
  };
  const windows = lineWindows(source, WINDOWS, options.signal);
  const { events, accounts } = importsInOneTransaction(store)
    ? await importInOneTransaction(store, windows, context)
    : await validateThenAppend(store, windows, context, {
      batchSize: options.batchSize ?? 500,
      concurrency: options.concurrency ?? 4,
      onAppended: (done, total) => report({ phase: 'append', done, total }),
    });
  if (importsInOneTransaction(store)) report({ phase: 'append', done: events, total: events });
  return { importId, lines, events, accounts, streams: accounts };
}
