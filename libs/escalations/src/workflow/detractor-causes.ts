import type { EventEnvelope } from '@ahe/event-store';
import type { EscalationOpened, SatisfactionRecorded } from '@ahe/events';
import { detractorEscalationId } from './escalation-ids';
import { isFresh } from './freshness';
import { excerpt } from './escalation-reasons';
import type { EscalationRulesDocument } from './escalation-rules.schema';
import { correlationIdOf, type TimerCause } from './timer-causes';

/**
 * An NPS detractor's survey whose escalation is not on the stream yet. The escalation is named
 * after the survey's event, which the account state does not keep, so without this a sweep
 * could not plan its open again after Redis lost it. `eventId` is the survey's.
 */
export interface DetractorCause extends TimerCause {
  readonly occurredAt: string;
  readonly score: number;
  /** Cut short as the reason quotes it. */
  readonly comment?: string;
}

/** By the survey's eventId. */
export type DetractorCauses = Readonly<Record<string, DetractorCause>>;

export const NO_DETRACTOR_CAUSES: DetractorCauses = Object.freeze({});

/**
 * Remembers a survey the satisfaction-drop rule escalates and forgets it once its
 * EscalationOpened is folded, once the account is closed, or once it lies more than maxAgeDays
 * before `evaluatedAt` (no open is planned for it then), so an import of years of surveys
 * leaves only the last window's behind.
 */
export function evolveDetractorCauses(
  causes: DetractorCauses,
  envelope: EventEnvelope,
  account: { readonly accountId: string; readonly closed: boolean; readonly evaluatedAt: string },
  rules: EscalationRulesDocument,
): DetractorCauses {
  const { accountId, closed, evaluatedAt } = account;
  if (closed) return NO_DETRACTOR_CAUSES;
  let next = causes;
  if (envelope.type === 'SatisfactionRecorded') {
    const { kind, score, comment } = envelope.data as SatisfactionRecorded;
    const { enabled, npsDetractorMax } = rules.satisfactionDrop;
    if (!enabled || kind !== 'nps' || score > npsDetractorMax) return pruned(causes, rules, evaluatedAt);
    const correlationId = correlationIdOf(envelope);
    const detractor: DetractorCause = {
      eventId: envelope.eventId,
      ...(correlationId === undefined ? {} : { correlationId }),
      occurredAt: envelope.occurredAt,
      score,
      ...(comment === undefined ? {} : { comment: excerpt(comment) }),
    };
    next = { ...causes, [envelope.eventId]: detractor };
  } else if (envelope.type === 'EscalationOpened') {
    const { escalationId, rule } = envelope.data as EscalationOpened;
    if (rule === 'satisfaction-drop') next = kept(causes, (surveyEventId) => detractorEscalationId(accountId, surveyEventId) !== escalationId);
  }
  return pruned(next, rules, evaluatedAt);
}

function pruned(causes: DetractorCauses, rules: EscalationRulesDocument, evaluatedAt: string): DetractorCauses {
  const at = new Date(evaluatedAt);
  const stale = (cause: DetractorCause) => !isFresh(cause.occurredAt, rules, at);
  return Object.values(causes).some(stale) ? kept(causes, (surveyEventId) => !stale(causes[surveyEventId]!)) : causes;
}

function kept(causes: DetractorCauses, keep: (surveyEventId: string) => boolean): DetractorCauses {
  const entries = Object.entries(causes);
  const left = entries.filter(([surveyEventId]) => keep(surveyEventId));
  return left.length === entries.length ? causes : Object.fromEntries(left);
}
