import type { PortfolioOptions } from '@ahe/demo';

const DEFAULTS = { accounts: 200, years: 3, seed: 42 } as const;

function integerVar(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`Invalid configuration: ${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * The portfolio DEMO=1 seeds: DEMO_ACCOUNTS (200), DEMO_YEARS (3) and DEMO_SEED (42), ending
 * at the start of the current UTC day so that the dashboards show recent activity.
 * TODO(platform): move these variables into the environment schema of libs/platform.
 */
export function demoPortfolioFrom(env: Readonly<Record<string, string | undefined>>, now: Date): PortfolioOptions {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return {
    accounts: integerVar(env, 'DEMO_ACCOUNTS', DEFAULTS.accounts, 1, 100_000),
    years: integerVar(env, 'DEMO_YEARS', DEFAULTS.years, 1, 20),
    seed: integerVar(env, 'DEMO_SEED', DEFAULTS.seed, -(2 ** 31), 2 ** 31 - 1),
    endsAt: today.toISOString(),
  };
}
