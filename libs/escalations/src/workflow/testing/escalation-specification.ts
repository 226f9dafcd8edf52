import type { EventEnvelope } from '@ahe/event-store';
import { currentSchemaVersion, type AccountEvent } from '@ahe/events';
import { parseScoringRules, type ScoringRules } from '@ahe/read-models';
import type { PlannedJob, WorkflowDecision } from '../../escalation-jobs';
import { loadEscalationRules } from '../escalation-rules.loader';
import type { EscalationRulesDocument } from '../escalation-rules.schema';
import type { EscalationPolicy, PolicyInput } from '../escalation-policies';
import { evolveEscalationWatch, initialEscalationWatch, type EscalationWatch, type EscalationWorkflowOptions } from '../escalation-watch';
import { applyEscalationEvent, recheckEscalations } from '../escalation-workflow';

/** The process manager's clock in every spec. */
export const NOW = new Date('2026-03-01T12:00:00.000Z');
export const ACCOUNT = 'acme';
const DAY_MS = 86_400_000;

export const daysAgo = (days: number, from: Date = NOW): string => new Date(from.getTime() - days * DAY_MS).toISOString();
export const daysLater = (days: number, from: Date = NOW): Date => new Date(from.getTime() + days * DAY_MS);

/** An event of the account's history as a spec writes it; eventId defaults to one per revision. */
export type HistoryEvent = AccountEvent & { readonly occurredAt: string; readonly eventId?: string; readonly correlationId?: string };

export const eventIdAt = (revision: number, accountId: string = ACCOUNT): string => `${accountId}-e${revision}`;

export function envelopeOf(event: HistoryEvent, revision: number, accountId: string = ACCOUNT): EventEnvelope {
  return {
    eventId: event.eventId ?? eventIdAt(revision, accountId),
    type: event.type,
    schemaVersion: currentSchemaVersion(event.type),
    streamId: `account-${accountId}`,
    revision,
    globalPosition: revision + 1,
    occurredAt: event.occurredAt,
    recordedAt: event.occurredAt,
    data: event.data,
    metadata: { hash: '', previousHash: '', ...(event.correlationId === undefined ? {} : { correlationId: event.correlationId }) },
  };
}

/**
 * A scorecard where only two things count, so a spec decides the band in one line: a lost
 * renewal (14 points) and 60 days or more without contact (14 points). Red from 14.
 */
export const SPEC_SCORING: ScoringRules = parseScoringRules(
  {
    version: 1,
    factors: {
      openComplaints: { pointsPerComplaint: { low: 0, medium: 0, high: 0, critical: 0 }, cap: 0 },
      slaBreaches: { pointsEach: 0, cap: 0 },
      daysSinceLastContact: { steps: [{ from: 60, points: 14 }] },
      satisfactionLevel: { steps: [] },
      satisfactionTrend: { steps: [] },
      overdueInvoices: { pointsEach: 0, cap: 0 },
      daysOverdue: { steps: [] },
      renewalApproaching: { withinDays: 0, noContactForDays: 0, points: 0 },
      renewalLost: { points: 14 },
    },
    bands: { amber: 7, red: 14 },
    satisfaction: { meanWindowDays: 90, trendWindowDays: 180, flatSlope: 2 },
    ltv: { discountRate: 0.1, horizonWeeks: 52 },
  },
  'spec scoring rules',
);

/** The shipped rules, so the specs also check what ships. */
export const SHIPPED_RULES: EscalationRulesDocument = loadEscalationRules();

export const SPEC_OPTIONS: EscalationWorkflowOptions = { rules: SHIPPED_RULES, scoring: SPEC_SCORING };

/** The shipped rules with some sections changed. */
export function rulesWith(changes: Partial<EscalationRulesDocument>): EscalationWorkflowOptions {
  return { ...SPEC_OPTIONS, rules: { ...SHIPPED_RULES, ...changes } };
}

export function watchOf(events: readonly HistoryEvent[], options: EscalationWorkflowOptions = SPEC_OPTIONS): EscalationWatch {
  return events.reduce((watch, event, revision) => evolveEscalationWatch(watch, envelopeOf(event, revision), options), initialEscalationWatch(ACCOUNT));
}

/** The policy's answer to `event` after `history`, both folded as the workflow folds them. */
export function askPolicy(policy: EscalationPolicy, history: readonly HistoryEvent[], event: HistoryEvent, rules: EscalationRulesDocument = SHIPPED_RULES) {
  const input: PolicyInput = {
    event: { ...event, eventId: event.eventId ?? eventIdAt(history.length) },
    before: watchOf(history),
    after: watchOf([...history, event]),
    rules,
    now: NOW,
  };
  return policy(input);
}

/** Every decision of a history read from the start, one per event, as the process manager would make them. */
export function decisionsOf(events: readonly HistoryEvent[], options: EscalationWorkflowOptions = SPEC_OPTIONS, now: Date = NOW): WorkflowDecision[] {
  let watch = initialEscalationWatch(ACCOUNT);
  return events.map((event, revision) => {
    const step = applyEscalationEvent(watch, envelopeOf(event, revision), options, now);
    watch = step.watch;
    return step.decision;
  });
}

export interface Outcome {
  readonly decision: WorkflowDecision;
  readonly watch: EscalationWatch;
  /** The jobs planned, exactly and in order, and the cancellations (none unless given). */
  then(jobs: readonly PlannedJob[], cancellations?: readonly string[]): Outcome;
  /** Only the job ids, for specs about which jobs rather than what they carry. */
  thenIds(jobIds: readonly string[], cancellations?: readonly string[]): Outcome;
  thenNothing(): Outcome;
}

function outcomeOf(decision: WorkflowDecision, watch: EscalationWatch): Outcome {
  const outcome: Outcome = {
    decision,
    watch,
    then(jobs, cancellations = []) {
      expect(decision).toEqual({ jobs, cancellations });
      return outcome;
    },
    thenIds(jobIds, cancellations = []) {
      expect({ jobs: decision.jobs.map((job) => job.id), cancellations: decision.cancellations }).toEqual({ jobs: jobIds, cancellations });
      return outcome;
    },
    thenNothing() {
      return outcome.then([]);
    },
  };
  return outcome;
}

/** `given(history).when(event).then(jobs)`, Emmett-style, for the escalation workflow of account "acme". */
export function given(history: readonly HistoryEvent[], options: EscalationWorkflowOptions = SPEC_OPTIONS) {
  const watch = watchOf(history, options);
  return {
    watch,
    when(event: HistoryEvent, now: Date = NOW): Outcome {
      const step = applyEscalationEvent(watch, envelopeOf(event, history.length), options, now);
      return outcomeOf(step.decision, step.watch);
    },
    whenRechecked(now: Date): Outcome {
      const step = recheckEscalations(watch, options, now);
      return outcomeOf(step.decision, step.watch);
    },
  };
}
