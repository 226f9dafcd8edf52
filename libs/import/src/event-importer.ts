import { randomUUID } from 'node:crypto';
import type { EventStore } from '@ahe/event-store';
import { admitLine, loadLedger, type AccountLedger, type ImportMetadata } from './account-ledger';
import { appendLedgers } from './ledger-appender';
import { parseUncheckedImportLine, type UncheckedImportLine } from './import-line.parser';
import { numberedLines, type NdjsonSource } from './ndjson-lines';

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
  /** Events per append; each is one atomic write with an expected revision. */
  readonly batchSize?: number;
  /** Accounts appended at a time (PostgreSQL overlaps them; the embedded store queues them). */
  readonly concurrency?: number;
  readonly totalLines?: number;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Stamped on every event's metadata, with the import's id as correlationId. */
  readonly actor?: string;
  readonly importId?: string;
}

export interface ImportResult {
  readonly importId: string;
  /** Non-blank lines read, one event each. */
  readonly lines: number;
  readonly events: number;
  readonly accounts: number;
  readonly streams: number;
}

// Accounts first seen in one window are loaded from the store together.
const WINDOW = 2_000;
const PROGRESS_EVERY = 1_000;

/** Stores that tell many streams' revisions in one call (the SQL store): streams that do not exist are not read. */
interface RevisionsStore extends EventStore {
  streamRevisions(streamIds: readonly string[]): Promise<Map<string, number>>;
}

function knownRevisions(store: EventStore, streamIds: readonly string[]): Promise<Map<string, number>> | undefined {
  const bulk = (store as Partial<RevisionsStore>).streamRevisions;
  return streamIds.length > 0 && typeof bulk === 'function' ? bulk.call(store, streamIds) : undefined;
}

/**
 * Validates every line of an NDJSON import against the schemas and the account rules, folding
 * each account from its current state in the store; appends only when all lines are valid.
 * Memory: the text of every valid line plus each account's folded state, so about the size of
 * the file (see README.md).
 */
export async function importNdjson(store: EventStore, source: NdjsonSource, options: ImportOptions = {}): Promise<ImportResult> {
  const now = options.now ?? new Date().toISOString();
  const importId = options.importId ?? randomUUID();
  const metadata: ImportMetadata = { correlationId: importId, actor: options.actor ?? 'import' };
  const ledgers = new Map<string, AccountLedger>();
  const report = options.onProgress ?? (() => undefined);
  let lines = 0;
  let lastLine = 0;

  // Lines are read a window at a time: the accounts a window names are loaded together, then
  // its lines admitted in order. Every line before a malformed one is admitted first, so the
  // error names the first invalid line, whatever made it invalid.
  const validateWindow = async (window: UncheckedImportLine[]) => {
    const unseen = [...new Set(window.map((parsed) => parsed.accountId).filter((id) => !ledgers.has(id)))];
    const streamOf = new Map(window.map((parsed) => [parsed.accountId, parsed.streamId]));
    const revisions = await knownRevisions(store, unseen.map((id) => streamOf.get(id)!));
    const loaded = await Promise.all(unseen.map((id) => loadLedger(store, id, streamOf.get(id)!, revisions?.get(streamOf.get(id)!))));
    for (const ledger of loaded) ledgers.set(ledger.accountId, ledger);
    for (const parsed of window) admitLine(ledgers.get(parsed.accountId)!, parsed, now, metadata);
  };

  let window: UncheckedImportLine[] = [];
  for await (const { line, text } of numberedLines(source)) {
    let parsed: UncheckedImportLine;
    try {
      parsed = parseUncheckedImportLine(text, line);
    } catch (error) {
      await validateWindow(window);
      throw error;
    }
    window.push(parsed);
    lines += 1;
    lastLine = line;
    if (window.length >= WINDOW) {
      await validateWindow(window);
      window = [];
    }
    if (lines % PROGRESS_EVERY === 0) report({ phase: 'validate', done: lastLine, total: options.totalLines ?? null });
  }
  await validateWindow(window);
  report({ phase: 'validate', done: lastLine, total: lastLine });

  const touched = [...ledgers.values()].filter((ledger) => ledger.events.length > 0);
  const events = await appendLedgers(store, touched, {
    batchSize: options.batchSize ?? 500,
    concurrency: options.concurrency ?? 4,
    onAppended: (done, total) => report({ phase: 'append', done, total }),
  });
  return { importId, lines, events, accounts: touched.length, streams: touched.length };
}
