/**
 * Escalation workflows: the pure rules and workflow decider (workflow/), the process manager
 * that runs them over the log (process-manager/), the queue port with its BullMQ and in-process
 * adapters (queue/), the jobs the workers run (jobs/), signed webhooks (webhooks/), and the
 * Nest modules that put them in a process (nest/).
 */
export * from './escalation-jobs';
export * from './queue';
export * from './webhooks';
export * from './workflow';
export { escalationProcessManager, ESCALATION_PROCESS_MANAGER, type EscalationProcessManagerOptions } from './process-manager/escalation-process-manager.projection';
export { ESCALATION_WATCH } from './process-manager/escalation-watch.table';
export { escalationCommandHandler, ESCALATIONS_ACTOR, type JobOutcome } from './jobs/escalation-command.handler';
export { webhookDeliveryHandler } from './jobs/webhook-delivery.handler';
export { ESCALATION_QUEUE, EscalationQueueModule } from './nest/escalation-queue.module';
export { ESCALATION_PROCESS_MANAGER_DEFINITION, ESCALATION_RULES, EscalationWorkersModule } from './nest/escalation-workers.module';
export { BullBoardModule, BULL_BOARD_PATH } from './nest/bull-board.module';
