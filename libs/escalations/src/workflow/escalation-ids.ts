import { deterministicUuid } from '@ahe/domain';
import type { EscalationRule } from '@ahe/events';

/**
 * Every id the workflow hands out is derived from what caused it, never drawn at random:
 * the same event read twice, a batch replayed after a crash or the whole log re-read
 * after a rules change name the same escalation and the same jobs, so the queue and the
 * account's decider both see a repeat, not a second escalation. Escalation ids are UUIDs and
 * job ids `<kind>-<uuid>`, so both hold only [A-Za-z0-9_-] whatever the causing ids contain.
 */
export function escalationIdOf(accountId: string, rule: EscalationRule, cause: string): string {
  return deterministicUuid('escalation', accountId, rule, cause);
}

/** One per complaint and rule: a complaint id is never raised twice on an account. */
export const complaintEscalationId = (accountId: string, rule: 'critical-complaint' | 'complaint-sla-breach', complaintId: string): string =>
  escalationIdOf(accountId, rule, complaintId);

export const invoiceEscalationId = (accountId: string, invoiceId: string): string => escalationIdOf(accountId, 'invoice-overdue', invoiceId);

/** One per red episode: an account that leaves red and turns red again is escalated again. */
export const redEpisodeEscalationId = (accountId: string, episode: number): string => escalationIdOf(accountId, 'band-red', `red-${episode}`);

/** One per detractor survey. */
export const detractorEscalationId = (accountId: string, surveyEventId: string): string =>
  escalationIdOf(accountId, 'satisfaction-drop', `survey-${surveyEventId}`);

/** One per episode of the satisfaction trend below the threshold. */
export const fallingEpisodeEscalationId = (accountId: string, episode: number): string =>
  escalationIdOf(accountId, 'satisfaction-drop', `falling-${episode}`);

/** The job that opens an escalation: at once, or as the timer of a deadline rule (and so the id a cancellation names). */
export const openJobId = (escalationId: string): string => `open-${escalationId}`;

export const resolveJobId = (escalationId: string): string => `resolve-${escalationId}`;
