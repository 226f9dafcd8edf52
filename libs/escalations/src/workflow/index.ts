/**
 * The pure core of the escalation workflow: the rules file, one policy per rule, and the
 * decider-style workflow of one account that turns its events into queue jobs. No I/O but
 * reading the rules file (see .dependency-cruiser.cjs, escalation-workflow-is-pure).
 */
export {
  defaultEscalationRulesFile,
  ESCALATION_RULES_PATH,
  escalationRulesVersion,
  InvalidEscalationRulesError,
  loadEscalationRules,
  parseEscalationRules,
  type EscalationRules,
} from './escalation-rules.loader';
export { escalationRulesSchema, MAX_ESCALATION_AGE_DAYS, type EscalationRulesDocument } from './escalation-rules.schema';
export {
  complaintEscalationId,
  detractorEscalationId,
  escalationIdOf,
  fallingEpisodeEscalationId,
  invoiceEscalationId,
  openJobId,
  redEpisodeEscalationId,
  resolveJobId,
} from './escalation-ids';
export { isFresh } from './freshness';
export {
  complaintSlaPolicy,
  criticalComplaintOpen,
  criticalComplaintPolicy,
  invoiceDeadlineMs,
  invoiceOverduePolicy,
  type CancelAction,
  type EscalationAction,
  type EscalationPolicy,
  type OpenAction,
  type PolicyInput,
  type ResolveAction,
  type TriggeringEvent,
} from './escalation-policies';
export { bandRedPolicy, npsDetractorOpen, satisfactionDropPolicy } from './health.policies';
export { accountClosedPolicy } from './account-closed.policy';
export { causeGonePolicy } from './cause-gone.policy';
export { pendingOpens } from './escalation-timers';
export { NO_TIMER_CAUSES, type ComplaintTimerCause, type TimerCause, type TimerCauses } from './timer-causes';
export { NO_DETRACTOR_CAUSES, type DetractorCause, type DetractorCauses } from './detractor-causes';
export { NO_DECISION, planDecision, type PlanContext } from './escalation-plan';
export {
  evolveEscalationWatch,
  initialEscalationWatch,
  reevaluateWatch,
  type EscalationWatch,
  type EscalationWorkflowOptions,
} from './escalation-watch';
export { applyEscalationEvent, decideEscalations, nextRecheckAt, recheckEscalations } from './escalation-workflow';
