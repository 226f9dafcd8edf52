/** Where the queue adapters report what they cannot throw: worker errors, lost connections. */
export interface EscalationQueueLogger {
  log(message: string, context?: object): void;
  warn(message: string, context?: object): void;
  error(message: string, context?: object): void;
}

export const QUIET_QUEUE_LOGGER: EscalationQueueLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
