import { detractorEscalationId } from './escalation-ids';
import { fallingEpisodeIds, nextFallingEpisodeId, nextRedEpisodeId, unresolvedOf } from './escalation-episodes';
import type { DetractorCause } from './detractor-causes';
import { NOTHING, type EscalationAction, type EscalationPolicy, type OpenAction } from './escalation-policies';
import { isFresh } from './freshness';
import * as reasons from './escalation-reasons';
import type { EscalationRulesDocument } from './escalation-rules.schema';

/**
 * The rules on the account's health: a red band, and satisfaction that drops. Band and trend
 * are levels, not events, so these policies ask "should an escalation exist now?" on every
 * decision rather than watching for an edge: an open planned twice before it is appended has
 * the same id, and a replay that sees the level at other moments than the live sweeps did
 * still names the same escalation. Resolving when the band leaves red is the cause-gone policy's.
 */

/**
 * Opens while the band is red, unless the account holds a band-red escalation not yet resolved
 * or one was opened in this red stretch already (someone resolved it by hand). Fresh: the band
 * turned red at most maxAgeDays ago, so a red stretch older than that is never escalated late.
 */
export const bandRedPolicy: EscalationPolicy = ({ after, rules, now }) => {
  const { state } = after.facts;
  if (!rules.bandRed.enabled || after.band !== 'red' || after.redEscalated) return NOTHING;
  if (after.redSince === null || !isFresh(after.redSince, rules, now) || unresolvedOf(state, 'band-red').length > 0) return NOTHING;
  return [
    {
      kind: 'open',
      escalationId: nextRedEpisodeId(after.accountId, state),
      rule: 'band-red',
      reason: reasons.bandRedReason(after.churnRisk ?? 0, after.riskPoints),
      condition: { kind: 'always' },
    },
  ];
};

/**
 * An NPS detractor at once, one escalation per survey; a trend below the threshold, one per
 * falling stretch and never a second while one is open or acknowledged. Neither resolves
 * itself: a person decides when satisfaction is back.
 */
export const satisfactionDropPolicy: EscalationPolicy = ({ event, after, rules, now }) => {
  const { enabled, trendBelow } = rules.satisfactionDrop;
  if (!enabled) return NOTHING;
  const actions: EscalationAction[] = [];
  if (event?.type === 'SatisfactionRecorded' && event.data.kind === 'nps') {
    const open = npsDetractorOpen(after.accountId, { eventId: event.eventId, occurredAt: event.occurredAt, ...event.data }, rules, now);
    if (open !== null) actions.push(open);
  }
  const { trend, fallingSince } = after;
  if (after.trendFalling && !after.fallingEscalated && trend !== null && fallingSince !== null && isFresh(fallingSince, rules, now)) {
    const { state } = after.facts;
    const falling = fallingEpisodeIds(after.accountId, state);
    if (falling.every((escalationId) => state.escalations[escalationId]!.status === 'resolved')) {
      actions.push({
        kind: 'open',
        escalationId: nextFallingEpisodeId(after.accountId, state, falling),
        rule: 'satisfaction-drop',
        reason: reasons.trendFallingReason(trend, trendBelow),
        condition: { kind: 'always' },
      });
    }
  }
  return actions;
};

/** A detractor survey's open, as its SatisfactionRecorded plans it and a sweep plans it again. */
export function npsDetractorOpen(accountId: string, survey: Pick<DetractorCause, 'eventId' | 'occurredAt' | 'score' | 'comment'>, rules: EscalationRulesDocument, now: Date): OpenAction | null {
  const { enabled, npsDetractorMax } = rules.satisfactionDrop;
  if (!enabled || survey.score > npsDetractorMax || !isFresh(survey.occurredAt, rules, now)) return null;
  return {
    kind: 'open',
    escalationId: detractorEscalationId(accountId, survey.eventId),
    rule: 'satisfaction-drop',
    reason: reasons.npsDetractorReason(survey.score, survey.comment),
    condition: { kind: 'always' },
  };
}
