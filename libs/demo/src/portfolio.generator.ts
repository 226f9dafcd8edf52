import type { AccountEvent } from '@ahe/events';
import type { ChurnMode } from './account-life';
import { simulateAccount } from './account.simulator';
import { SeededRandom } from './seeded-random';

export interface PortfolioOptions {
  readonly accounts: number;
  readonly years: number;
  /** Any integer; the seed and the other options fully determine the output. */
  readonly seed?: number;
  /** The instant the simulated period ends (ISO 8601); fixed by default so output is reproducible. */
  readonly endsAt?: string;
  /** What decides churn (README.md "Churn: signals or random"); default signals. */
  readonly churn?: ChurnMode;
}

/** One import line: what `ahe import` and POST /v1/import read. */
export type DemoLine = {
  readonly streamId: string;
  readonly accountId: string;
  readonly occurredAt: string;
} & AccountEvent;

export const DEFAULT_SEED = 42;
export const CHURN_MODES: readonly ChurnMode[] = ['signals', 'random'];
export const DEFAULT_ENDS_AT = '2026-01-01T00:00:00.000Z';
const YEAR_MS = 365.25 * 86_400_000;

export function assertPortfolioOptions(options: PortfolioOptions): void {
  const { accounts, years, seed = DEFAULT_SEED, endsAt = DEFAULT_ENDS_AT, churn = 'signals' } = options;
  if (!Number.isSafeInteger(accounts) || accounts < 1 || accounts > 1_000_000) throw new RangeError('accounts must be an integer from 1 to 1,000,000');
  if (!Number.isFinite(years) || years <= 0 || years > 50) throw new RangeError('years must be a number above 0 and at most 50');
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be an integer');
  if (Number.isNaN(Date.parse(endsAt)) || !/^\d{4}-\d{2}-\d{2}T/.test(endsAt)) throw new RangeError('endsAt must be an ISO 8601 timestamp');
  if (!CHURN_MODES.includes(churn)) throw new RangeError(`churn must be one of ${CHURN_MODES.join(', ')}`);
}

/**
 * A synthetic portfolio, account after account, each account's events in time order.
 * Every account draws from its own stream of the seeded generator, so account n is the same
 * whatever the number of accounts asked for.
 */
export function* generatePortfolio(options: PortfolioOptions): Generator<DemoLine> {
  assertPortfolioOptions(options);
  const seed = options.seed ?? DEFAULT_SEED;
  const endsAt = Date.parse(options.endsAt ?? DEFAULT_ENDS_AT);
  const startsAt = Math.round(endsAt - options.years * YEAR_MS);
  const churn = options.churn ?? 'signals';
  const width = Math.max(4, String(options.accounts).length);
  for (let index = 0; index < options.accounts; index++) {
    const accountId = `demo-${seed}-${String(index + 1).padStart(width, '0')}`;
    const streamId = `account-${accountId}`;
    for (const { at, event } of simulateAccount(accountId, new SeededRandom(seed >>> 0, index), startsAt, endsAt, churn)) {
      yield { streamId, accountId, type: event.type, data: event.data, occurredAt: new Date(at).toISOString() } as DemoLine;
    }
  }
}

/** The portfolio as NDJSON lines (without line breaks). */
export function* portfolioNdjson(options: PortfolioOptions): Generator<string> {
  for (const line of generatePortfolio(options)) yield JSON.stringify(line);
}
