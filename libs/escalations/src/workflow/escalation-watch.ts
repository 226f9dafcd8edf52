import type { EventEnvelope } from '@ahe/event-store';
import { evolveHealthFacts, healthViewAt, initialHealthFacts, type AccountHealthFacts, type Band, type ScoringRules } from '@ahe/read-models';
import type { EscalationRulesDocument } from './escalation-rules.schema';

/** What the workflow needs besides the events: its own rules and the scorecard that says "red". */
export interface EscalationWorkflowOptions {
  readonly rules: EscalationRulesDocument;
  readonly scoring: ScoringRules;
}

/**
 * What the escalation workflow remembers of one account: the same facts the account_health
 * read model folds (so "red" here is "red" on the dashboard), plus what the band and trend
 * rules need to see an edge rather than a level. Plain JSON, stored per account by the
 * process manager beside its checkpoint.
 */
export interface EscalationWatch {
  readonly accountId: string;
  readonly facts: AccountHealthFacts;
  /** eventId of the last event folded: the triggering event of an escalation a recheck opens. */
  readonly lastEventId: string | null;
  /** The instant band and trend were last evaluated at; it never moves backwards. */
  readonly evaluatedAt: string | null;
  /** Band at evaluatedAt; null before the account is opened. */
  readonly band: Band | null;
  readonly churnRisk: number | null;
  /** Points of every factor that adds some at evaluatedAt, by factor name: the "why" of a red band. */
  readonly riskPoints: Readonly<Record<string, number>>;
  /** Red episodes begun so far: the n-th has its own escalation. */
  readonly redEpisodes: number;
  /** Satisfaction trend at evaluatedAt, points per 30 days. */
  readonly trend: number | null;
  /** The trend was below rules.satisfactionDrop.trendBelow at evaluatedAt. */
  readonly trendFalling: boolean;
  /** Episodes of a falling trend begun so far. */
  readonly fallingEpisodes: number;
}

export function initialEscalationWatch(accountId: string): EscalationWatch {
  return {
    accountId,
    facts: initialHealthFacts(accountId),
    lastEventId: null,
    evaluatedAt: null,
    band: null,
    churnRisk: null,
    riskPoints: {},
    redEpisodes: 0,
    trend: null,
    trendFalling: false,
    fallingEpisodes: 0,
  };
}

/**
 * Folds one envelope of the account's stream and re-evaluates band and trend. An envelope at
 * or below the revision already folded is a re-delivery and changes nothing (the facts would
 * count a payment or a survey twice). Throws AccountNotOpenedError, as the health fold does,
 * for an event before AccountOpened.
 */
export function evolveEscalationWatch(watch: EscalationWatch, envelope: EventEnvelope, options: EscalationWorkflowOptions): EscalationWatch {
  if (envelope.revision <= watch.facts.revision) return watch;
  const facts = evolveHealthFacts(watch.facts, envelope);
  return reevaluateWatch({ ...watch, facts, lastEventId: envelope.eventId }, laterOf(envelope.occurredAt, watch.evaluatedAt), options);
}

/**
 * Band and trend at `at` (ISO). A back-dated event is evaluated at the latest instant seen so
 * far, not at its own: time-based factors evaluated in the past could take an account out of
 * red for a moment and open a second escalation at the next recheck.
 */
export function reevaluateWatch(watch: EscalationWatch, at: string, options: EscalationWorkflowOptions): EscalationWatch {
  if (!watch.facts.state.exists) return watch;
  const view = healthViewAt(watch.facts, options.scoring, new Date(at));
  const trend = view.satisfaction.trend;
  const trendFalling = trend !== null && trend < options.rules.satisfactionDrop.trendBelow;
  const turnedRed = view.band === 'red' && watch.band !== 'red';
  return {
    ...watch,
    evaluatedAt: at,
    band: view.band,
    churnRisk: view.churnRisk,
    riskPoints: Object.fromEntries(view.factors.filter((factor) => factor.points > 0).map((factor) => [factor.name, factor.points])),
    redEpisodes: watch.redEpisodes + (turnedRed ? 1 : 0),
    trend,
    trendFalling,
    fallingEpisodes: watch.fallingEpisodes + (trendFalling && !watch.trendFalling ? 1 : 0),
  };
}

/** The later of two ISO instants, as the first one's string when they are equal. */
export function laterOf(instant: string, other: string | null): string {
  return other !== null && Date.parse(other) > Date.parse(instant) ? other : instant;
}
