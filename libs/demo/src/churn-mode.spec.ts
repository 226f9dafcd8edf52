import type { TimedEvent } from './account-timeline';
import { SEGMENTS, type SegmentName } from './demo-catalogue';
import { generatePortfolio, type DemoLine, type PortfolioOptions } from './portfolio.generator';
import { observeSignals, renewalLossProbability } from './renewal-signals';

type Opened = Extract<DemoLine, { type: 'AccountOpened' }>;

interface AccountStory {
  readonly opened: Opened;
  readonly history: readonly TimedEvent[];
  /** When its first RenewalLost or AccountClosed occurred; null if it stayed. */
  readonly churnedAt: number | null;
}

const YEAR_MS = 365.25 * 86_400_000;
const ENDS_AT = Date.parse('2026-01-01T00:00:00.000Z');

function storiesOf(options: PortfolioOptions): AccountStory[] {
  const byAccount = new Map<string, DemoLine[]>();
  for (const line of generatePortfolio(options)) byAccount.set(line.accountId, [...(byAccount.get(line.accountId) ?? []), line]);
  return [...byAccount.values()].map((lines) => {
    const history = lines.map((line) => ({ at: Date.parse(line.occurredAt), event: line }) as TimedEvent);
    const churn = history.find(({ event }) => event.type === 'RenewalLost' || event.type === 'AccountClosed');
    return { opened: lines[0] as Opened, history, churnedAt: churn?.at ?? null };
  });
}

/** Churned accounts per account-year of exposure (from opening to churn or the period's end). */
function churnPerAccountYear(stories: readonly AccountStory[]): number {
  const years = stories.reduce((sum, story) => sum + ((story.churnedAt ?? ENDS_AT) - Date.parse(story.opened.occurredAt)) / YEAR_MS, 0);
  return stories.filter((story) => story.churnedAt !== null).length / years;
}

function churnPerAccountYearBy(stories: readonly AccountStory[], key: (opened: Opened) => string): Record<string, number> {
  const groups = new Map<string, AccountStory[]>();
  for (const story of stories) groups.set(key(story.opened), [...(groups.get(key(story.opened)) ?? []), story]);
  return Object.fromEntries([...groups].map(([name, group]) => [name, churnPerAccountYear(group)]));
}

interface Outlook {
  /** The loss chance the signal model of README.md reads in what the account showed by then. */
  readonly signalled: number;
  readonly churned: boolean;
}

/** Every account open at `at`, with what its signals said then and whether it churned in the year after. */
function outlooksAt(stories: readonly AccountStory[], at: number): Outlook[] {
  return stories
    .filter((story) => story.history[0]!.at < at && (story.churnedAt === null || story.churnedAt > at))
    .map(({ opened, history, churnedAt }) => ({
      signalled: renewalLossProbability(observeSignals(history.filter((item) => item.at < at), at, history[0]!.at), SEGMENTS[opened.data.segment as SegmentName]),
      churned: churnedAt !== null && churnedAt <= at + YEAR_MS,
    }));
}

const churnRate = (outlooks: readonly Outlook[]) => outlooks.filter((outlook) => outlook.churned).length / outlooks.length;

/** Churn rates of the half of the accounts the signals call safest and of the riskier half. */
function churnRateByHalf(outlooks: readonly Outlook[]): { safer: number; riskier: number } {
  const sorted = [...outlooks].sort((a, b) => a.signalled - b.signalled);
  const half = Math.floor(sorted.length / 2);
  return { safer: churnRate(sorted.slice(0, half)), riskier: churnRate(sorted.slice(half)) };
}

const groupOf = (opened: Opened) => `${opened.data.segment}/${opened.data.contract ? 'contract' : 'none'}`;

describe('churn: signals or random', () => {
  const options = { accounts: 2_000, years: 3, seed: 42 } as const;
  const signals = storiesOf(options);
  const random = storiesOf({ ...options, churn: 'random' });

  it('defaults to signals, line for line', () => {
    const small = { accounts: 30, years: 2, seed: 3 };
    expect([...generatePortfolio({ ...small, churn: 'signals' })]).toEqual([...generatePortfolio(small)]);
  });

  it('keeps about the same churn per account-year', () => {
    // ~650 churned accounts each: a Poisson standard error of about 4 % of the rate.
    const [followed, atRandom] = [churnPerAccountYear(signals), churnPerAccountYear(random)];
    expect(Math.abs(atRandom - followed) / followed).toBeLessThan(0.12);
  });

  it('churns every segment, with or without a contract, at about one rate when churn is random', () => {
    const followed = Object.values(churnPerAccountYearBy(signals, groupOf));
    const atRandom = Object.values(churnPerAccountYearBy(random, groupOf));
    expect(Math.max(...followed) / Math.min(...followed)).toBeGreaterThan(3);
    // The smallest group (mid-market without a contract) has ~20 churned accounts: hence the margin.
    expect(Math.max(...atRandom) / Math.min(...atRandom)).toBeLessThan(2);
  });

  it('churns the accounts whose signals are bad more when churn follows them, and no more of them when it is random', () => {
    const at = Date.parse('2024-07-01T00:00:00.000Z');
    const followed = churnRateByHalf(outlooksAt(signals, at));
    const ignored = churnRateByHalf(outlooksAt(random, at));
    expect(followed.riskier).toBeGreaterThan(1.5 * followed.safer);
    // Halves of ~570 accounts churning ~16 % a year: the difference has a standard error of ~0.022.
    expect(Math.abs(ignored.riskier - ignored.safer)).toBeLessThan(0.05);
  });

  it('refuses an unknown churn mode, naming the choices', () => {
    expect(() => [...generatePortfolio({ accounts: 1, years: 1, churn: 'sometimes' as never })]).toThrow('churn must be one of signals, random');
  });
});
