import { resolve } from 'node:path';
import { z } from 'zod';
import { IN_MEMORY, PGLITE_THREADINGS } from '@ahe/database';
import type { EventStoreConfig } from '@ahe/event-store';
import { apiKeysVar, type ApiKey } from './api-keys.schema';
import { postgresUrlVar, redisUrlVar, secretUrlVar } from './connection-string.schemas';
import { booleanVar, enumVar, integerVar, queuePrefixVar, readableFileVar, schemaNameVar, secretVar, textVar, urlListVar } from './env-value.schemas';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const MIB = 1024 * 1024;

/** Every variable the engine reads. Unknown variables are ignored; "" counts as unset. */
export const environmentSchema = z.object({
  PORT: integerVar({ min: 1, max: 65535, default: 3000 }),
  HOST: textVar('0.0.0.0'),
  BODY_LIMIT_BYTES: integerVar({ min: 1024, max: 100 * MIB, default: MIB, unit: 'bytes' }),
  DATA_DIR: textVar('./data'),
  EMBEDDED_DB_THREAD: enumVar(PGLITE_THREADINGS, 'worker'),
  EMBEDDED_VACUUM_INTERVAL_MS: integerVar({ min: 1_000, max: 86_400_000, default: 60_000, unit: 'milliseconds' }),
  DATABASE_URL: postgresUrlVar(),
  PG_POOL_SIZE: integerVar({ min: 1, max: 1000, default: 10 }),
  DATABASE_CONNECT_TIMEOUT_MS: integerVar({ min: 100, max: 600_000, default: 10_000, unit: 'milliseconds' }),
  DATABASE_SCHEMA: schemaNameVar(),
  EVENTSTORE_CONNECTION_STRING: secretUrlVar(['esdb', 'esdb+discover']),
  REDIS_URL: redisUrlVar(),
  API_KEYS: apiKeysVar,
  RATE_LIMIT_PER_MINUTE: integerVar({ min: 1, max: Number.MAX_SAFE_INTEGER, default: 6000 }),
  LOG_LEVEL: enumVar(LOG_LEVELS, 'info'),
  SHUTDOWN_TIMEOUT_MS: integerVar({ min: 100, max: 600_000, default: 10_000, unit: 'milliseconds' }),
  DEMO: booleanVar(false),
  DEMO_ACCOUNTS: integerVar({ min: 1, max: 100_000, default: 200 }),
  DEMO_YEARS: integerVar({ min: 1, max: 20, default: 3 }),
  DEMO_SEED: integerVar({ min: 0, max: 2 ** 31 - 1, default: 42 }),
  // Apart from BODY_LIMIT_BYTES: an import is held in memory about its own size while validated.
  IMPORT_BODY_LIMIT_BYTES: integerVar({ min: 1024, max: 4096 * MIB, default: 256 * MIB, unit: 'bytes' }),
  // Empty: the rules shipped in config/scoring-rules.json.
  SCORING_RULES_FILE: readableFileVar(),
  PROJECTION_BATCH_SIZE: integerVar({ min: 1, max: 10_000, default: 500 }),
  PROJECTION_LOCK_RETRY_MS: integerVar({ min: 100, max: 600_000, default: 5_000, unit: 'milliseconds' }),
  HEALTH_REFRESH_INTERVAL_MS: integerVar({ min: 1_000, max: 86_400_000, default: 60_000, unit: 'milliseconds' }),
  PROJECTION_READY_MAX_LAG_SECONDS: integerVar({ min: 1, max: 86_400, default: 300, unit: 'seconds' }),
  LTV_REFIT_INTERVAL_MS: integerVar({ min: 100, max: 86_400_000, default: 300_000, unit: 'milliseconds' }),
  AS_OF_WARM_UP: booleanVar(false),
  // Empty: the rules shipped in config/escalation-rules.json.
  ESCALATION_RULES_FILE: readableFileVar(),
  ESCALATION_WEBHOOK_URLS: urlListVar(),
  WEBHOOK_SECRET: secretVar(16),
  ESCALATION_QUEUE_PREFIX: queuePrefixVar('ahe'),
  ESCALATION_CONCURRENCY: integerVar({ min: 1, max: 1000, default: 16 }),
  ESCALATION_RETRY_ATTEMPTS: integerVar({ min: 1, max: 100, default: 10 }),
  ESCALATION_RETRY_BACKOFF_MS: integerVar({ min: 1, max: 3_600_000, default: 1_000, unit: 'milliseconds' }),
  WEBHOOK_TIMEOUT_MS: integerVar({ min: 100, max: 120_000, default: 5_000, unit: 'milliseconds' }),
});

export type Environment = z.output<typeof environmentSchema>;

export interface AppConfig {
  readonly http: { readonly port: number; readonly host: string; readonly bodyLimitBytes: number };
  /** Where events live: PostgreSQL when DATABASE_URL is set (in DATABASE_SCHEMA if given), else the embedded store in DATA_DIR. */
  readonly store: EventStoreConfig;
  /** On the embedded store, time between two looks for a table to vacuum while none is due (autovacuum's naptime), and how long a table that holds the others back rests. */
  readonly embeddedVacuumIntervalMs: number;
  /** When set, events live in EventStoreDB instead; `store` then holds read models and bookkeeping. */
  readonly eventStoreDb: string | undefined;
  readonly redisUrl: string | undefined;
  /** Empty: the API runs open, without authentication. */
  readonly apiKeys: readonly ApiKey[];
  readonly rateLimitPerMinute: number;
  readonly logLevel: LogLevel;
  readonly shutdownTimeoutMs: number;
  readonly demo: boolean;
  /** The portfolio DEMO=1 seeds into an empty store. */
  readonly demoPortfolio: { readonly accounts: number; readonly years: number; readonly seed: number };
  readonly importBodyLimitBytes: number;
  /** Build the as-of LTV index in the background once the API listens, rather than on the first as-of request. */
  readonly asOfWarmUp: boolean;
  readonly projections: ProjectionsConfig;
  readonly escalations: EscalationsConfig;
}

export interface EscalationsConfig {
  /** Path of the escalation rules; undefined: the shipped config/escalation-rules.json. */
  readonly rulesFile: string | undefined;
  /** Every escalation event is POSTed to each of these, signed with webhookSecret. */
  readonly webhookUrls: readonly string[];
  readonly webhookSecret: string | undefined;
  /** BullMQ key prefix in Redis; lets several engines (or test runs) share one Redis. */
  readonly queuePrefix: string;
  /** Jobs each worker runs at once, per queue. */
  readonly concurrency: number;
  /** Tries per job (the first included) and the first retry's delay, doubling after. */
  readonly retry: { readonly attempts: number; readonly backoffMs: number };
  readonly webhookTimeoutMs: number;
}

export interface ProjectionsConfig {
  /** Path of the churn-risk scoring rules; undefined: the shipped config/scoring-rules.json. */
  readonly scoringRulesFile: string | undefined;
  /** Events read from the log per projection batch. */
  readonly batchSize: number;
  /** How often a worker tries to take a projection another process holds. */
  readonly lockRetryMs: number;
  /** How often rows whose time-based factors are due get re-scored. */
  readonly healthRefreshIntervalMs: number;
  /** Least time between two refits of the LTV models while new data arrives (a debounce). */
  readonly ltvRefitIntervalMs: number;
  /** /health/ready fails when a projection is further behind the log than this. */
  readonly readyMaxLagSeconds: number;
}

export function toAppConfig(env: Environment): AppConfig {
  const store: EventStoreConfig = env.DATABASE_URL
    ? {
        kind: 'postgres',
        connectionString: env.DATABASE_URL,
        poolSize: env.PG_POOL_SIZE,
        connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
        ...(env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {}),
      }
    : { kind: 'embedded', dataDir: env.DATA_DIR === IN_MEMORY ? IN_MEMORY : resolve(env.DATA_DIR), thread: env.EMBEDDED_DB_THREAD };
  return {
    http: { port: env.PORT, host: env.HOST, bodyLimitBytes: env.BODY_LIMIT_BYTES },
    store,
    embeddedVacuumIntervalMs: env.EMBEDDED_VACUUM_INTERVAL_MS,
    eventStoreDb: env.EVENTSTORE_CONNECTION_STRING,
    redisUrl: env.REDIS_URL,
    apiKeys: env.API_KEYS,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    demo: env.DEMO,
    demoPortfolio: { accounts: env.DEMO_ACCOUNTS, years: env.DEMO_YEARS, seed: env.DEMO_SEED },
    importBodyLimitBytes: env.IMPORT_BODY_LIMIT_BYTES,
    asOfWarmUp: env.AS_OF_WARM_UP,
    projections: {
      scoringRulesFile: env.SCORING_RULES_FILE,
      batchSize: env.PROJECTION_BATCH_SIZE,
      lockRetryMs: env.PROJECTION_LOCK_RETRY_MS,
      healthRefreshIntervalMs: env.HEALTH_REFRESH_INTERVAL_MS,
      readyMaxLagSeconds: env.PROJECTION_READY_MAX_LAG_SECONDS,
      ltvRefitIntervalMs: env.LTV_REFIT_INTERVAL_MS,
    },
    escalations: {
      rulesFile: env.ESCALATION_RULES_FILE,
      webhookUrls: env.ESCALATION_WEBHOOK_URLS,
      webhookSecret: env.WEBHOOK_SECRET,
      queuePrefix: env.ESCALATION_QUEUE_PREFIX,
      concurrency: env.ESCALATION_CONCURRENCY,
      retry: { attempts: env.ESCALATION_RETRY_ATTEMPTS, backoffMs: env.ESCALATION_RETRY_BACKOFF_MS },
      webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
    },
  };
}
