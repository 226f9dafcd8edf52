import {
  accountEntriesOf,
  accountStateOf,
  evolve,
  evolveFolded,
  foldedAccountOf,
  foldedAccountOfEntries,
  initialState,
  type AccountEntries,
  type AccountState,
  type AnyAccountState,
  type FoldableEvent,
  type FoldedAccount,
} from '@ahe/domain';
import { assertNever, isAccountEventType } from '@ahe/events';
import type { EventEnvelope } from '@ahe/event-store';
import { evolveLtvHistory, initialLtvHistory, type LtvHistory } from '../ltv';
import { retainSamples, type SatisfactionSample } from '../satisfaction/satisfaction-stats';
import { instantMs } from '../scoring/utc-calendar';

/**
 * Everything the churn-risk score needs about one account, folded from its stream: the
 * decider's own state (same `evolve`, so the read model can never disagree with the rules)
 * plus what only scoring cares about. Stored as JSON beside the score, so a score can be
 * recomputed at any instant without reading the log again.
 */
export interface AccountHealthFacts {
  readonly accountId: string;
  readonly state: AccountState;
  /** Latest `occurredAt` of a ContactLogged. */
  readonly lastContactAt: string | null;
  /** Recent surveys, oldest first, trimmed by the rules' keepDays / maxSamples. */
  readonly surveys: readonly SatisfactionSample[];
  /** Sum of InvoicePaid amounts, minor units. */
  readonly realized: number;
  /** What the LTV models need: the fold `ltv_customers` and the as-of replays use too. */
  readonly ltv: LtvHistory;
  /** Stream revision of the last event folded; -1 before any. */
  readonly revision: number;
  /** Global position of that event. */
  readonly position: number;
  /** Its recordedAt. */
  readonly updatedAt: string | null;
}

/** The facts with the account in any shape a fold hands out: what scoring reads. */
export type HealthFactsOf<State extends AnyAccountState> = Omit<AccountHealthFacts, 'state'> & { readonly state: State };

/**
 * The facts as a fold carries them between events: the account folded, its AccountState view
 * (getters, microseconds to build) made once at the end by `healthFactsOf`.
 */
export type FoldingHealthFacts = HealthFactsOf<FoldedAccount>;

export const foldingFactsOf = (facts: HealthFactsOf<AnyAccountState>): FoldingHealthFacts => ({ ...facts, state: foldedAccountOf(facts.state) });

export const healthFactsOf = (facts: FoldingHealthFacts): AccountHealthFacts => ({ ...facts, state: accountStateOf(facts.state) });

/**
 * `account_health.facts` as stored since account_health.v5: the facts with the account's
 * id-keyed collections (open complaints, invoices, escalations) as lists of [id, value] entries.
 * Records keyed by ids made JSON.parse give the empty object's hidden class a transition per id,
 * until V8 stopped sharing new classes for every object built from `{}` in the process.
 */
export type StoredHealthFacts = Omit<AccountHealthFacts, 'state'> & { readonly state: AccountEntries };

/** The facts as a row stores them (`account_health.facts`): O(size), no record built for a folded state. */
export const storedFactsOf = (facts: HealthFactsOf<AnyAccountState>): StoredHealthFacts => ({ ...facts, state: accountEntriesOf(facts.state) });

/**
 * A stored `facts` document as facts a fold or a score takes, the account folded from its entry
 * lists. Rows written before account_health.v5 hold records instead (a generation built by an
 * older version serves until its rebuild swaps in): read as they are.
 */
export function factsOfStored(stored: StoredHealthFacts | AccountHealthFacts): FoldingHealthFacts {
  const { state } = stored;
  if (!Array.isArray(state.invoices)) return foldingFactsOf(stored as AccountHealthFacts);
  return { ...stored, state: foldedAccountOfEntries(state as AccountEntries) };
}

export interface SampleRetention {
  readonly keepDays: number;
  readonly maxSamples: number;
}

/** Far more than the 90-day window needs: a year back keeps "latest" meaningful for quiet accounts. */
export const SURVEY_RETENTION: SampleRetention = Object.freeze({ keepDays: 400, maxSamples: 100 });

export function initialHealthFacts(accountId: string): AccountHealthFacts {
  return {
    accountId,
    state: initialState(),
    lastContactAt: null,
    surveys: [],
    realized: 0,
    ltv: initialLtvHistory(),
    revision: -1,
    position: 0,
    updatedAt: null,
  };
}

export class AccountNotOpenedError extends Error {
  override readonly name = 'AccountNotOpenedError';

  constructor(accountId: string, type: string, revision: number) {
    super(`account ${accountId}: ${type} at revision ${revision} precedes any AccountOpened`);
  }
}

/** Folds one envelope of the account's stream; throws for an event before AccountOpened. */
export function evolveHealthFacts(
  facts: AccountHealthFacts,
  envelope: EventEnvelope,
  retention: SampleRetention = SURVEY_RETENTION,
): AccountHealthFacts {
  return foldFacts(facts, envelope, retention, evolve);
}

/** evolveHealthFacts for a fold that scores between events and stores only the end. */
export function evolveFoldingFacts(
  facts: FoldingHealthFacts,
  envelope: EventEnvelope,
  retention: SampleRetention = SURVEY_RETENTION,
): FoldingHealthFacts {
  return foldFacts(facts, envelope, retention, evolveFolded);
}

function foldFacts<State extends AnyAccountState>(
  facts: HealthFactsOf<State>,
  envelope: EventEnvelope,
  retention: SampleRetention,
  evolveState: (state: State, event: FoldableEvent) => State,
): HealthFactsOf<State> {
  // A type this build does not know folds as a no-op, as the domain's fold would have it.
  if (!isAccountEventType(envelope.type)) return stamped(facts, facts.state, facts.ltv, facts, envelope);
  const event = { type: envelope.type, data: envelope.data, occurredAt: envelope.occurredAt } as FoldableEvent;
  if (!facts.state.exists && event.type !== 'AccountOpened') throw new AccountNotOpenedError(facts.accountId, event.type, envelope.revision);
  // One object per event, spelled out: a rebuild folds every event of the log through here.
  return stamped(facts, evolveState(facts.state, event), evolveLtvHistory(facts.ltv, event), scoringFactsAfter(facts, event, retention), envelope);
}

type ScoringFacts = Pick<AccountHealthFacts, 'lastContactAt' | 'surveys' | 'realized'>;

function stamped<State extends AnyAccountState>(
  facts: HealthFactsOf<State>,
  state: State,
  ltv: LtvHistory,
  scoring: ScoringFacts,
  envelope: EventEnvelope,
): HealthFactsOf<State> {
  return {
    accountId: facts.accountId,
    state,
    lastContactAt: scoring.lastContactAt,
    surveys: scoring.surveys,
    realized: scoring.realized,
    ltv,
    revision: envelope.revision,
    position: envelope.globalPosition,
    updatedAt: envelope.recordedAt,
  };
}

/** The facts only scoring keeps, after the event: `facts` itself when the event changes none of them. */
function scoringFactsAfter(facts: ScoringFacts, event: FoldableEvent, retention: SampleRetention): ScoringFacts {
  const at = event.occurredAt;
  switch (event.type) {
    case 'ContactLogged':
      return facts.lastContactAt !== null && instantMs(facts.lastContactAt) >= instantMs(at) ? facts : { lastContactAt: at, surveys: facts.surveys, realized: facts.realized };
    case 'SatisfactionRecorded': {
      const samples = [...facts.surveys, { at, kind: event.data.kind, score: event.data.score }];
      // Measured from the newest survey, so a back-dated one neither drops nor keeps others by accident.
      const newest = Math.max(...samples.map((sample) => instantMs(sample.at)));
      return { lastContactAt: facts.lastContactAt, surveys: retainSamples(samples, new Date(newest), retention.keepDays, retention.maxSamples), realized: facts.realized };
    }
    case 'InvoicePaid':
      return { lastContactAt: facts.lastContactAt, surveys: facts.surveys, realized: facts.realized + event.data.amount };
    case 'AccountOpened':
    case 'AccountManagerAssigned':
    case 'ComplaintRaised':
    case 'ComplaintResolved':
    case 'InvoiceIssued':
    case 'RenewalWon':
    case 'RenewalLost':
    case 'ExpansionWon':
    case 'AccountClosed':
    case 'EscalationOpened':
    case 'EscalationAcknowledged':
    case 'EscalationResolved':
      return facts;
    default:
      return assertNever(event);
  }
}
