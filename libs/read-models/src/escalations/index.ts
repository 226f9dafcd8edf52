export { escalationsProjection, EscalationIdClashError } from './escalations.projection';
export { EscalationQueries, escalationViewOf } from './escalations.queries';
export { ESCALATION_ACCOUNTS, ESCALATIONS, ESCALATIONS_TABLES, escalationAccountsTable, escalationsTable } from './escalations.table';
export {
  DEFAULT_ESCALATION_PAGE_SIZE,
  ESCALATION_STATUSES,
  MAX_ESCALATION_PAGE_SIZE,
  type EscalationListQuery,
  type EscalationStatus,
  type EscalationView,
} from './escalations.types';
export {
  ESCALATION_MODEL_EVENTS,
  EscalationAccountNotOpenedError,
  evolveEscalationAccount,
  initialEscalationAccount,
  type Escalation,
  type EscalationAccount,
} from './escalations.evolve';
