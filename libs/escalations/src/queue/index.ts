export * from './escalation-queue.port';
export { BullMqEscalationQueue, type BullMqEscalationQueueOptions } from './bullmq-escalation-queue';
export { DEAD_LETTER_QUEUE } from './bullmq-job-processor';
export { InProcessEscalationQueue, type InProcessEscalationQueueOptions } from './in-process-escalation-queue';
export { migrateEscalationJobs } from './escalation-job.store';
export { QueueUnavailableError } from './queue-unavailable.error';
export { QUIET_QUEUE_LOGGER, type EscalationQueueLogger } from './queue-logger';
export { MAX_RETRY_DELAY_MS, failureOutcome, retryDelayMs, type FailureOutcome } from './queue-rules';
export { DEFAULT_LOCK_RETRY_MS, escalationQueueLockKey } from './queue-ownership';
