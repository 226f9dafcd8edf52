export { PlatformModule, type PlatformOptions } from './platform.module';
export { bootstrapOrExit, type ProcessDefinition } from './bootstrap/bootstrap-or-exit';
export { createHttpApp } from './http/create-http-app';

export { loadConfig, ConfigError, type ConfigProblem } from './config/config.loader';
export type { AppConfig, EscalationsConfig, LogLevel, ProjectionsConfig } from './config/config.schema';
export { API_ROLES, type ApiKey, type ApiRole } from './config/api-keys.schema';
export { APP_CONFIG } from './config/config.module';

export { CORRELATION_ID_HEADER, currentCorrelationId, runWithCorrelationId } from './logging/correlation-id';
export { CorrelationId } from './logging/correlation-id.hook';

export { MetricsService } from './metrics/metrics.service';
export { ReadinessRegistry, type ReadinessProbe } from './health/readiness.registry';
export { EVENT_STORE, STORED_EVENT_STORE } from './event-store/event-store.module';
export { atCurrentVersion, readingCurrentVersions } from './event-store/current-version-reads';
export { SQL_CLIENT } from './database/sql-client.token';
export type { ErrorBody } from './errors/error-body';
export { toErrorBody } from './errors/error-body';
export { HttpExceptionFilter } from './errors/http-exception.filter';
export { knownErrorBody } from './errors/known-errors';
export { StrictValidationPipe, fieldProblemsOf, type FieldProblem } from './http/validation.pipe';

export { Roles, Public } from './auth/roles.decorator';
export { CurrentPrincipal, bearerTokenOf, keyIdOf, principalOf, principalOfRequest, ANONYMOUS, type Principal } from './auth/principal';

export {
  IdempotencyService,
  IDEMPOTENCY_KEY_TTL_HOURS,
  requestHash,
  type EarlierAttempt,
  type IdempotentOutcome,
  type KeyClaim,
  type IdempotentRequest,
  type StoredResponse,
} from './idempotency/idempotency.service';
export { idempotencyKeyOf, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAY_HEADER } from './idempotency/idempotency-key.header';
export { deterministicUuid } from '@ahe/domain';
export {
  runAccountCommand,
  type AccountCommandMetadata,
  type AccountCommandOptions,
} from './commands/account-command-runner';
