import { accountStreamId } from '@ahe/domain';
import type { EventEnvelope } from '@ahe/event-store';
import { initialHealthFacts, type AccountHealthFacts } from '../account-health/account-health.facts';
import { scoreAccountHealth } from '../account-health/account-health.score';
import { viewOfScore } from '../account-health/account-health.view';
import type { LtvModels } from '../ltv/ltv.types';
import type { AccountHealthView } from '../query.types';
import type { ScoringRules } from '../scoring/scoring-rules.loader';
import { snapshotServes, type AccountSnapshot } from './account-snapshots';
import { countsAsOf, type AsOfInstant } from './as-of-filter';
import { evolveOrBroken, missingRevision } from './broken-stream.error';

/** One account folded as of an instant. */
export interface AccountAsOf {
  readonly asOf: AsOfInstant;
  /**
   * What the account_health projection would have held for it at that instant; `facts.state` is
   * the decider's own AccountState, `facts.revision` and `facts.position` those of the last event
   * folded (-1 and 0 before any).
   */
  readonly facts: AccountHealthFacts;
  /** Events of the stream that counted at asOf on the axis. */
  readonly eventsFolded: number;
}

/** The health row as the live route shapes it, plus the fit its expected LTV used. */
export interface AccountHealthAsOf extends AccountHealthView {
  /** fitId of the LTV models scored with; null without models or for a churned or closed account, as in account_health.ltv_fit. */
  readonly ltvFit: string | null;
}

/** Where the envelopes handed to foldAccountAsOf may skip revisions, and where the stream must end. */
export interface AsOfTailBounds {
  /**
   * Revisions up to this one may be absent: the store's as-of filter left out those that do not
   * count, and takeSnapshots found every one of them present. Every later revision must be there,
   * counting or not, so a deleted row is told from a filtered one. Default: the revision `from`
   * ends at (-1 without it): the envelopes are the whole rest of the stream.
   */
  readonly checkedThrough?: number;
  /** The stream's head as its head row gives it: a stream ending before it lost its last events. */
  readonly head?: number;
}

/**
 * Folds the account's envelopes (revision order) that count at asOf on its axis with the live
 * projection's `evolveHealthFacts` (the decider's `evolve` inside), in revision order as the
 * projection met them: a back-dated event lands where the log put it, not where it occurred.
 * `from` resumes after a snapshot that serves asOf (snapshotFor): the envelopes are then the
 * stream's events after it, and those at or before its revision are skipped. A missing revision
 * past `bounds.checkedThrough`, a stream ending before `bounds.head`, or an event before any
 * opening throws BrokenStreamError: a fold that skipped them would answer for another history.
 */
export function foldAccountAsOf(accountId: string, envelopes: Iterable<EventEnvelope>, asOf: AsOfInstant, from?: AccountSnapshot, bounds: AsOfTailBounds = {}): AccountAsOf {
  if (from !== undefined && !snapshotServes(from, asOf)) {
    throw new RangeError(`the snapshot at revision ${from.facts.revision} holds events after ${asOf.at.toISOString()} on the ${asOf.axis} axis`);
  }
  const asOfMs = asOf.at.getTime();
  let facts = from?.facts ?? initialHealthFacts(accountId);
  let eventsFolded = facts.revision + 1;
  const after = facts.revision;
  let nextRequired = Math.max(after, bounds.checkedThrough ?? after) + 1;
  for (const envelope of envelopes) {
    if (envelope.revision <= after) continue;
    if (envelope.revision >= nextRequired) {
      if (envelope.revision !== nextRequired) throw missingRevision(envelope.streamId, nextRequired);
      nextRequired++;
    }
    if (!countsAsOf(envelope, asOfMs, asOf.axis)) continue;
    facts = evolveOrBroken(facts, envelope);
    eventsFolded++;
  }
  if (bounds.head !== undefined && nextRequired <= bounds.head) {
    throw missingRevision(accountStreamId(accountId), nextRequired, `: the log ends before it, though the stream's head is revision ${bounds.head}`);
  }
  return { asOf, facts, eventsFolded };
}

/**
 * The account's health at asOf, by the function the projection and GET /v1/health/:accountId
 * score with, evaluated at asOf (at its end for an account churned or closed by then) with the LTV
 * models as they were fitted as of that instant.
 */
export function accountHealthAsOf(account: AccountAsOf, rules: ScoringRules, models: LtvModels | null): AccountHealthAsOf {
  const score = scoreAccountHealth(account.facts, rules, account.asOf.at, models);
  return { ...viewOfScore(score), ltvFit: score.ltvFit };
}
