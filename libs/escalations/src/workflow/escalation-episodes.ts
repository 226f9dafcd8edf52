import type { AccountState } from '@ahe/domain';
import type { EscalationRule } from '@ahe/events';
import { fallingEpisodeEscalationId, redEpisodeEscalationId } from './escalation-ids';

/**
 * Episodes of the level rules (band red, satisfaction trend falling), numbered by the
 * account's stream rather than by whoever watched the level: the n-th escalation of an episode
 * rule on the stream is `red-<n>` (`falling-<n>`). A live run that re-checks the band every
 * night and a replay that only evaluates it at each event see different moments, but they
 * fold the same EscalationOpened events, so they name the next episode alike. Two opens
 * planned before the first is appended get the same id: the second is a duplicate.
 */

/** Ids of the account's escalations of `rule` that are open or acknowledged, in the order the stream opened them. */
export function unresolvedOf(state: AccountState, rule: EscalationRule): string[] {
  return Object.entries(state.escalations)
    .filter(([, escalation]) => escalation.rule === rule && escalation.status !== 'resolved')
    .map(([escalationId]) => escalationId);
}

/** The id of the next red episode's escalation. */
export function nextRedEpisodeId(accountId: string, state: AccountState): string {
  const opened = Object.values(state.escalations).filter((escalation) => escalation.rule === 'band-red').length;
  return firstFree(state, opened + 1, (episode) => redEpisodeEscalationId(accountId, episode));
}

/**
 * The falling-trend escalations on the stream. They share the satisfaction-drop rule with the
 * detractor ones and are told apart by id; every falling-<n> the workflow names has n no larger
 * than the satisfaction-drop escalations on the stream, so that many candidates suffice.
 */
export function fallingEpisodeIds(accountId: string, state: AccountState): string[] {
  const candidates = Object.values(state.escalations).filter((escalation) => escalation.rule === 'satisfaction-drop').length;
  const falling = new Set(Array.from({ length: candidates }, (_, index) => fallingEpisodeEscalationId(accountId, index + 1)));
  return Object.keys(state.escalations).filter((escalationId) => falling.has(escalationId));
}

/** The id of the next falling-trend episode's escalation, given the ones on the stream. */
export function nextFallingEpisodeId(accountId: string, state: AccountState, falling: readonly string[] = fallingEpisodeIds(accountId, state)): string {
  return firstFree(state, falling.length + 1, (episode) => fallingEpisodeEscalationId(accountId, episode));
}

/** From `episode` on, the first id the stream does not hold yet (episodes numbered with gaps by earlier code). */
function firstFree(state: AccountState, episode: number, idOf: (episode: number) => string): string {
  let id = idOf(episode);
  for (let next = episode + 1; Object.hasOwn(state.escalations, id); next += 1) id = idOf(next);
  return id;
}
