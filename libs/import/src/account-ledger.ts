import { currentSchemaVersion, decodeEvent, type AccountEvent } from '@ahe/events';
import { admitParsedEvent, DomainError, evolveFolded, foldedAccountOf, initialState, type FoldableEvent, type FoldedAccount } from '@ahe/domain';
import type { EventEnvelope, EventStore, NewEvent } from '@ahe/event-store';
import { InvalidImportLineError } from './import.errors';
import { dataProblem, type UncheckedImportLine } from './import-line.parser';

/** What the importer keeps per account between validation and append. */
export interface AccountLedger {
  readonly accountId: string;
  readonly streamId: string;
  /** Revision the lines were validated against: the append expects it (-1: no stream yet). */
  readonly baseRevision: number;
  /** Folded as `evolveFolded` folds: no AccountState view is built per line. */
  state: FoldedAccount;
  /**
   * The validated lines as the events to append, parsed once: for event data of ids, amounts
   * and short texts the parsed line takes about the heap its text would (README.md, Memory).
   */
  readonly events: NewEvent[];
}

/**
 * The account as the store holds it now: its events folded, and the revision they end at.
 * `knownRevision` -1 (from EventStore-specific bulk look-ups) skips reading a stream that does not exist.
 */
export async function loadLedger(store: EventStore, accountId: string, streamId: string, knownRevision?: number): Promise<AccountLedger> {
  return ledgerOf(accountId, streamId, knownRevision === -1 ? [] : await store.readStream(streamId));
}

/** The account folded from its stored events (all of them, in revision order). */
export function ledgerOf(accountId: string, streamId: string, stored: readonly EventEnvelope[]): AccountLedger {
  let state = foldedAccountOf(initialState());
  for (const envelope of stored) state = evolveFolded(state, { ...decodeEvent(envelope), occurredAt: envelope.occurredAt });
  const baseRevision = stored.length === 0 ? -1 : stored[stored.length - 1]!.revision;
  return { accountId, streamId, baseRevision, state, events: [] };
}

/** Stamped on every event of an import. */
export type ImportMetadata = { readonly correlationId: string; readonly actor: string };

const DATA_FIELD_EXCEPTIONS = new Set(['occurredAt', 'accountId']);

/**
 * Checks the line against the schema, then the account's rules, the same ones commands obey
 * (the parser left the data unchecked), and folds it. A rule broken is an invalid line of the
 * import (400), whatever status the command would get.
 */
export function admitLine(ledger: AccountLedger, parsed: UncheckedImportLine, now: string, metadata: ImportMetadata): void {
  // A line's data is checked before its time and the account's rules, as the parser once did.
  const problem = dataProblem(parsed);
  if (problem) throw problem;
  // The schemas are strict objects without defaults or transforms: the admitted data is the line's.
  const event = parsed.event as AccountEvent;
  try {
    admitParsedEvent(ledger.state, event, { now, occurredAt: parsed.occurredAt, accountId: parsed.accountId });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const field = error.field === undefined ? undefined : DATA_FIELD_EXCEPTIONS.has(error.field) ? error.field : `data.${error.field}`;
    throw new InvalidImportLineError(parsed.line, error.code, `${parsed.event.type} refused: ${error.message}`, {
      accountId: parsed.accountId,
      ruleStatus: error.status,
      ...(field === undefined ? {} : { field }),
    });
  }
  // One object both folded (evolveFolded reads type, data and occurredAt) and appended.
  const stored = { type: event.type, data: event.data, occurredAt: parsed.occurredAt, schemaVersion: currentSchemaVersion(event.type), metadata };
  ledger.state = evolveFolded(ledger.state, stored as FoldableEvent);
  ledger.events.push(stored);
}
