import { decodeEvent, type AccountEvent } from '@ahe/events';
import { admitEvent, DomainError, evolve, initialState, type AccountState } from '@ahe/domain';
import type { EventStore } from '@ahe/event-store';
import { InvalidImportLineError } from './import.errors';
import { dataProblem, type UncheckedImportLine } from './import-line.parser';

/** What the importer keeps per account between validation and append. */
export interface AccountLedger {
  readonly accountId: string;
  readonly streamId: string;
  /** Revision the lines were validated against: the append expects it (-1: no stream yet). */
  readonly baseRevision: number;
  state: AccountState;
  /** The validated lines' text, re-read at append time: a string costs less memory than the parsed event. */
  readonly lines: string[];
}

/**
 * The account as the store holds it now: its events folded, and the revision they end at.
 * `knownRevision` -1 (from EventStore-specific bulk look-ups) skips reading a stream that does not exist.
 */
export async function loadLedger(store: EventStore, accountId: string, streamId: string, knownRevision?: number): Promise<AccountLedger> {
  const stored = knownRevision === -1 ? [] : await store.readStream(streamId);
  let state = initialState();
  for (const envelope of stored) state = evolve(state, { ...decodeEvent(envelope), occurredAt: envelope.occurredAt });
  const baseRevision = stored.length === 0 ? -1 : stored[stored.length - 1]!.revision;
  return { accountId, streamId, baseRevision, state, lines: [] };
}

const DATA_FIELD_EXCEPTIONS = new Set(['occurredAt', 'accountId']);

/**
 * Checks the line against the schema and the account's rules, the same ones commands obey
 * (admission validates the data: the parser left it unchecked), and folds it. A rule broken is
 * an invalid line of the import (400), whatever status the command would get.
 */
export function admitLine(ledger: AccountLedger, parsed: UncheckedImportLine, text: string, now: string): void {
  // The schemas are strict objects without defaults or transforms: the admitted data is the line's.
  const event = parsed.event as AccountEvent;
  try {
    admitEvent(ledger.state, event, { now, occurredAt: parsed.occurredAt, accountId: parsed.accountId });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // A line's data is checked before its time and the account's rules, as the parser once did.
    const problem = dataProblem(parsed);
    if (problem) throw problem;
    const field = error.field === undefined ? undefined : DATA_FIELD_EXCEPTIONS.has(error.field) ? error.field : `data.${error.field}`;
    throw new InvalidImportLineError(parsed.line, error.code, `${parsed.event.type} refused: ${error.message}`, {
      accountId: parsed.accountId,
      ruleStatus: error.status,
      ...(field === undefined ? {} : { field }),
    });
  }
  ledger.state = evolve(ledger.state, { ...event, occurredAt: parsed.occurredAt });
  ledger.lines.push(text);
}
