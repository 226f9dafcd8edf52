import { accountIdOfStream } from '@ahe/domain';
import type { EventEnvelope } from '@ahe/event-store';
import { AccountNotOpenedError, evolveHealthFacts, initialHealthFacts, type AccountHealthFacts } from '../account-health/account-health.facts';
import { countsAsOf, instantOnAxis } from '../as-of/as-of-filter';
import type { TimeAxis } from '../ltv/ltv.types';
import { instantMs } from '../scoring/utc-calendar';

export interface ReplayOptions {
  /** Fold the events at or before this instant on `axis`. */
  readonly asOf: Date;
  readonly axis: TimeAxis;
  /** Observe churn up to this instant, inclusive; to the end of the log when absent. */
  readonly observeUntil?: Date;
}

export interface ReplayedAccount {
  /** The account as the account_health projection would have held it at asOf. */
  readonly facts: AccountHealthFacts;
  /** The instant, on the replay's axis, of its earliest RenewalLost or AccountClosed in (asOf, observeUntil]; null when none. */
  readonly churnedAt: string | null;
}

/** Every account opened by an instant, folded as of it, with what happened to it afterwards. */
export interface PortfolioReplay {
  readonly asOf: Date;
  readonly axis: TimeAxis;
  readonly observeUntil: Date | null;
  /** Global position of the last event folded; 0 when none was. */
  readonly position: number;
  /** In the order their first event appears in the log. */
  readonly accounts: readonly ReplayedAccount[];
}

const CHURN_EVENTS: ReadonlySet<string> = new Set(['RenewalLost', 'AccountClosed']);

/**
 * Folds each account's stream, in log order, with the same `evolveHealthFacts` the live
 * projection uses, keeping only the events at or before `asOf` on the axis — a back-dated event
 * counts on the occurred axis and not on the recorded one, as in the as-of reads of the store.
 * Churn after asOf is observed on the same axis: on the recorded axis, a loss that occurred
 * before asOf but was recorded after it was not known at asOf, so it is an outcome to predict,
 * not a fact the account was scored with.
 */
export async function replayPortfolio(envelopes: AsyncIterable<EventEnvelope>, options: ReplayOptions): Promise<PortfolioReplay> {
  const asOfMs = options.asOf.getTime();
  const untilMs = options.observeUntil?.getTime() ?? Infinity;
  const facts = new Map<string, AccountHealthFacts>();
  const churnedAt = new Map<string, string>();
  let position = 0;
  for await (const envelope of envelopes) {
    const accountId = accountIdOfStream(envelope.streamId);
    if (accountId === null) continue;
    if (countsAsOf(envelope, asOfMs, options.axis)) {
      const folded = foldedOrParked(facts.get(accountId) ?? initialHealthFacts(accountId), envelope);
      if (folded) facts.set(accountId, folded);
      position = Math.max(position, envelope.globalPosition);
    }
    const churnMs = instantMs(instantOnAxis(envelope, options.axis));
    if (CHURN_EVENTS.has(envelope.type) && churnMs > asOfMs && churnMs <= untilMs) {
      const earlier = churnedAt.get(accountId);
      if (earlier === undefined || churnMs < instantMs(earlier)) churnedAt.set(accountId, instantOnAxis(envelope, options.axis));
    }
  }
  return {
    asOf: options.asOf,
    axis: options.axis,
    observeUntil: options.observeUntil ?? null,
    position,
    accounts: [...facts.values()].map((account) => ({ facts: account, churnedAt: churnedAt.get(account.accountId) ?? null })),
  };
}

/**
 * An event before its account's opening (written behind the engine, or to the store directly) is
 * left out, as the projection parks it: one such stream must not stop every account's replay.
 */
function foldedOrParked(facts: AccountHealthFacts, envelope: EventEnvelope): AccountHealthFacts | undefined {
  try {
    return evolveHealthFacts(facts, envelope);
  } catch (error) {
    if (error instanceof AccountNotOpenedError) return undefined;
    throw error;
  }
}
