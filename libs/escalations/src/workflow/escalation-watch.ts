import type { EventEnvelope } from '@ahe/event-store';
import type { EscalationOpened } from '@ahe/events';
import { evolveHealthFacts, healthViewAt, initialHealthFacts, type AccountHealthFacts, type Band, type ScoringRules } from '@ahe/read-models';
import { evolveDetractorCauses, NO_DETRACTOR_CAUSES, type DetractorCauses } from './detractor-causes';
import { fallingEpisodeIds } from './escalation-episodes';
import type { EscalationRulesDocument } from './escalation-rules.schema';
import { evolveTimerCauses, NO_TIMER_CAUSES, type TimerCauses } from './timer-causes';

/** What the workflow needs besides the events: its own rules and the scorecard that says "red". */
export interface EscalationWorkflowOptions {
  readonly rules: EscalationRulesDocument;
  readonly scoring: ScoringRules;
}

/**
 * What the escalation workflow remembers of one account: the same facts the account_health
 * read model folds (so "red" here is "red" on the dashboard), plus when the band and the trend
 * last crossed their thresholds. Which escalations exist, and so the number of the next
 * episode, is read from the facts' account state: the stream, not this watch, is the record.
 * Plain JSON, stored per account by the process manager beside its checkpoint.
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
  /** The evaluation that found the band red after it was not; null while it is not red. Freshness reads it. */
  readonly redSince: string | null;
  /**
   * A band-red EscalationOpened was folded while the band was red since redSince: one that
   * someone resolved by hand is not opened again until the band has left red.
   */
  readonly redEscalated: boolean;
  /** Satisfaction trend at evaluatedAt, points per 30 days. */
  readonly trend: number | null;
  /** The trend was below rules.satisfactionDrop.trendBelow at evaluatedAt. */
  readonly trendFalling: boolean;
  /** As redSince, for the falling trend. */
  readonly fallingSince: string | null;
  /** As redEscalated, for the falling trend. */
  readonly fallingEscalated: boolean;
  /** The events that started the timers still pending, for a sweep that plans them again. */
  readonly timerCauses: TimerCauses;
  /** NPS detractor surveys whose escalation is not on the stream yet; absent in a watch stored before they were kept. */
  readonly detractors?: DetractorCauses;
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
    redSince: null,
    redEscalated: false,
    trend: null,
    trendFalling: false,
    fallingSince: null,
    fallingEscalated: false,
    timerCauses: NO_TIMER_CAUSES,
    detractors: NO_DETRACTOR_CAUSES,
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
  const timerCauses = evolveTimerCauses(watch.timerCauses, envelope, facts.state);
  const evaluatedAt = laterOf(envelope.occurredAt, watch.evaluatedAt);
  const detractors = evolveDetractorCauses(watch.detractors ?? NO_DETRACTOR_CAUSES, envelope, { accountId: watch.accountId, closed: facts.state.closed, evaluatedAt }, options.rules);
  const after = reevaluateWatch({ ...watch, facts, lastEventId: envelope.eventId, timerCauses, detractors }, evaluatedAt, options);
  return envelope.type === 'EscalationOpened' ? withEpisodeEscalated(after, envelope.data as EscalationOpened) : after;
}

/** An escalation of the current red (falling) stretch is on the stream now. */
function withEpisodeEscalated(watch: EscalationWatch, opened: EscalationOpened): EscalationWatch {
  if (opened.rule === 'band-red' && watch.band === 'red') return { ...watch, redEscalated: true };
  if (opened.rule === 'satisfaction-drop' && watch.trendFalling && fallingEpisodeIds(watch.accountId, watch.facts.state).includes(opened.escalationId)) {
    return { ...watch, fallingEscalated: true };
  }
  return watch;
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
  const red = view.band === 'red';
  return {
    ...watch,
    evaluatedAt: at,
    band: view.band,
    churnRisk: view.churnRisk,
    riskPoints: Object.fromEntries(view.factors.filter((factor) => factor.points > 0).map((factor) => [factor.name, factor.points])),
    redSince: red ? (watch.band === 'red' ? watch.redSince : at) : null,
    redEscalated: red && watch.redEscalated,
    trend,
    trendFalling,
    fallingSince: trendFalling ? (watch.trendFalling ? watch.fallingSince : at) : null,
    fallingEscalated: trendFalling && watch.fallingEscalated,
  };
}

/** The later of two ISO instants, as the first one's string when they are equal. */
export function laterOf(instant: string, other: string | null): string {
  return other !== null && Date.parse(other) > Date.parse(instant) ? other : instant;
}
