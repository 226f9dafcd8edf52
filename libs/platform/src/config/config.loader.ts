import { environmentSchema, toAppConfig, type AppConfig } from './config.schema';

export { unreadableFile } from './env-value.schemas';

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** Every bad variable at once, so one restart fixes them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((problem) => `${problem.variable} ${problem.message}`).join('; ')}`);
  }
}

type EnvSource = Readonly<Record<string, string | undefined>>;

/** Rules that need more than one variable. */
function crossChecks(env: EnvSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (env.EVENTSTORE_CONNECTION_STRING?.trim() && !env.DATABASE_URL?.trim()) {
    problems.push({
      variable: 'EVENTSTORE_CONNECTION_STRING',
      message: 'is set without DATABASE_URL: with events in EventStoreDB, read models, checkpoints and idempotency keys live in PostgreSQL',
    });
  }
  const webhookUrls = (env.ESCALATION_WEBHOOK_URLS ?? '').split(',').filter((url) => url.trim() !== '');
  if (webhookUrls.length > 0 && !env.WEBHOOK_SECRET?.trim()) {
    problems.push({
      variable: 'WEBHOOK_SECRET',
      message: 'is not set, but ESCALATION_WEBHOOK_URLS is: every webhook delivery is signed with it (HMAC-SHA256)',
    });
  }
  return problems;
}

/** Pure: reads only `env`. Throws a ConfigError naming every bad variable. */
export function loadConfig(env: EnvSource = process.env): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  const problems: ConfigProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), message: issue.message }));
  const reported = new Set(problems.map((problem) => problem.variable));
  problems.push(...crossChecks(env).filter((problem) => !reported.has(problem.variable)));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return toAppConfig(parsed.data);
}

/** The variables to check when a server did not accept a connection: those this configuration connects with. */
export function connectionSettingsOf(config: AppConfig): string {
  const settings = [
    config.store.kind === 'postgres' ? 'DATABASE_URL' : undefined,
    config.eventStoreDb ? 'EVENTSTORE_CONNECTION_STRING' : undefined,
    config.redisUrl ? 'REDIS_URL' : undefined,
  ];
  return settings.filter(Boolean).join(', ') || 'the connection settings';
}
