import { liftByDecile, rocCurve, type DecileLift, type RocPoint, type ScoredOutcome } from '@ahe/analytics';
import { healthViewAt } from '../account-health/account-health.score';
import { BANDS, type Band } from '../query.types';
import type { ScoringRules } from '../scoring/scoring-rules.loader';
import { DAY_MS, instantMs } from '../scoring/utc-calendar';
import type { TimeAxis } from '../ltv/ltv.types';
import type { PortfolioReplay, ReplayedAccount } from './portfolio-replay';

/** Predicted against observed, for the accounts of one band at asOf. */
export interface BandCalibration {
  readonly band: Band;
  readonly accounts: number;
  readonly churned: number;
  /** null for a band with no account. */
  readonly churnRate: number | null;
  readonly meanChurnRisk: number | null;
}

/** How well churnRisk at asOf ranked the accounts that churned within the horizon after it. */
export interface ChurnBacktest {
  readonly asOf: string;
  readonly horizonDays: number;
  readonly axis: TimeAxis;
  /** Accounts open, renewal not lost, at asOf: the ones scored. */
  readonly accounts: number;
  /** Of them, those with a RenewalLost or AccountClosed within the horizon. */
  readonly churned: number;
  /** null with no account. */
  readonly churnRate: number | null;
  /** Area under the ROC curve; null when no account, or every account, churned. */
  readonly auc: number | null;
  readonly roc: readonly RocPoint[];
  readonly liftByDecile: readonly DecileLift[];
  readonly calibration: readonly BandCalibration[];
  /** Left out: their churn was already known at asOf. */
  readonly excluded: { readonly closed: number; readonly renewalLost: number };
}

interface ScoredAccount extends ScoredOutcome {
  readonly band: Band;
}

/** When the churn window after asOf closes: `horizonDays` later, inclusive. */
export const churnWindowEnd = (asOf: Date, horizonDays: number): Date => new Date(asOf.getTime() + horizonDays * DAY_MS);

/** The latest asOf whose churn window has closed by `now`: all of its outcomes are known. */
export const latestElapsedAsOf = (now: Date, horizonDays: number): Date => new Date(now.getTime() - horizonDays * DAY_MS);

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/**
 * Scores every account open at the replay's instant with the scorecard the projection uses and
 * sets the scores against churn observed in the `horizonDays` that followed. The replay must
 * observe churn at least that far.
 */
export function backtestChurnRisk(replay: PortfolioReplay, rules: ScoringRules, { horizonDays }: { readonly horizonDays: number }): ChurnBacktest {
  const horizonEndMs = churnWindowEnd(replay.asOf, horizonDays).getTime();
  if (replay.observeUntil !== null && replay.observeUntil.getTime() < horizonEndMs) {
    throw new RangeError(`the replay observes churn until ${replay.observeUntil.toISOString()}, short of the ${horizonDays}-day horizon`);
  }
  const excluded = { closed: 0, renewalLost: 0 };
  const scored: ScoredAccount[] = [];
  for (const account of replay.accounts) {
    const { state } = account.facts;
    if (state.closed) excluded.closed += 1;
    else if (state.renewalStatus === 'lost') excluded.renewalLost += 1;
    else scored.push(scoreAgainstOutcome(account, rules, replay.asOf, horizonEndMs));
  }
  const churned = scored.filter((account) => account.positive).length;
  const roc = rocCurve(scored);
  return {
    asOf: replay.asOf.toISOString(),
    horizonDays,
    axis: replay.axis,
    accounts: scored.length,
    churned,
    churnRate: rate(churned, scored.length),
    auc: Number.isNaN(roc.auc) ? null : roc.auc,
    roc: roc.points,
    liftByDecile: liftByDecile(scored),
    calibration: BANDS.map((band) => calibrationOf(band, scored.filter((account) => account.band === band))),
    excluded,
  };
}

function scoreAgainstOutcome(account: ReplayedAccount, rules: ScoringRules, asOf: Date, horizonEndMs: number): ScoredAccount {
  const { churnRisk, band } = healthViewAt(account.facts, rules, asOf);
  return { score: churnRisk, band, positive: account.churnedAt !== null && instantMs(account.churnedAt) <= horizonEndMs };
}

function calibrationOf(band: Band, accounts: readonly ScoredAccount[]): BandCalibration {
  const churned = accounts.filter((account) => account.positive).length;
  const totalRisk = accounts.reduce((sum, account) => sum + account.score, 0);
  return { band, accounts: accounts.length, churned, churnRate: rate(churned, accounts.length), meanChurnRisk: rate(totalRisk, accounts.length) };
}
