import { openComplaintListOf, unpaidInvoicesOf, type AnyAccountState } from '@ahe/domain';
import { expectedLtv, type LtvModels } from '../ltv';
import type { AccountHealthView, Band, LtvSummary } from '../query.types';
import { summarizeSatisfaction } from '../satisfaction/satisfaction-stats';
import type { ScoringRules } from '../scoring/scoring-rules.loader';
import { DAY_MS, dayNumberOfDate, instantMs, nextUtcMidnight, utcDayNumber } from '../scoring/utc-calendar';
import type { HealthFactsOf } from './account-health.facts';

/** Facts with the account as a fold hands it out, or as stored. */
type ScorableFacts = HealthFactsOf<AnyAccountState>;
import { churnRiskFactors, churnRiskPoints, type HealthMeasurements } from './churn-risk.factors';

export interface AccountHealthScore extends AccountHealthView {
  /**
   * The next instant a time-based value of this score can change (a UTC midnight, or a
   * complaint's SLA running out); null when none can, as for a closed or churned account.
   */
  readonly rescoreAt: string | null;
  /**
   * fitId of the LTV models the score was computed with; null without models, and for a
   * closed or churned account, which expects nothing whatever the fit (so a refit need not touch it).
   */
  readonly ltvFit: string | null;
}

/**
 * The account's health at `at`, from its facts and the current LTV fit alone. Pure, so the
 * projection scores on every batch, the refresh re-scores stale rows, and a query re-scores at
 * the instant it is asked: all three agree. An account that has ended (closed, or churned at
 * its contract's end after a lost renewal) is scored as of its end: its churn already
 * happened, and its days without contact should not keep growing.
 */
export function scoreAccountHealth(facts: ScorableFacts, rules: ScoringRules, at: Date, models: LtvModels | null = null): AccountHealthScore {
  const view = healthViewAt(facts, rules, at, models);
  return {
    ...view,
    rescoreAt: rescoreAfter(facts, rules, at.getTime()),
    ltvFit: view.status === 'open' ? (models?.fitId ?? null) : null,
  };
}

/** The score without knowing when it goes stale: what a health_history row needs, for less. */
export function healthViewAt(facts: ScorableFacts, rules: ScoringRules, at: Date, models: LtvModels | null = null): AccountHealthView {
  const { state } = facts;
  const evaluatedMs = evaluatedAt(facts, at.getTime());
  const measured = measure(facts, rules, evaluatedMs);
  const factors = churnRiskFactors(measured, rules.factors);
  const churnRisk = factors.reduce((sum, factor) => sum + factor.points, 0);
  return {
    accountId: facts.accountId,
    name: state.name ?? '',
    segment: state.segment ?? '',
    managerId: state.managerId ?? '',
    status: state.closed ? 'closed' : hasEnded(facts, at.getTime()) ? 'churned' : 'open',
    churnRisk,
    band: bandOf(churnRisk, rules.bands),
    factors,
    satisfaction: measured.satisfaction,
    ltv: lifetimeValue(facts, rules, new Date(evaluatedMs), models),
    openComplaints: measured.openComplaintSeverities.length,
    overdueInvoices: measured.overdueInvoices,
    daysSinceLastContact: measured.daysSinceLastContact,
    renewalDate: state.contract?.endsOn ?? null,
    scoringVersion: rules.scoringVersion,
    position: facts.position,
    updatedAt: facts.updatedAt ?? state.openedAt ?? '',
    scoredAt: new Date(evaluatedMs).toISOString(),
  };
}

/** What a health_history row keeps of the score at an instant: healthViewAt's figures, with no scorecard or names built. */
export interface HealthFigures {
  readonly churnRisk: number;
  readonly band: Band;
  readonly satisfaction: AccountHealthView['satisfaction'];
  readonly ltv: LtvSummary;
}

/** healthViewAt(facts, rules, new Date(atMs), models), only the figures a history row keeps: a rebuild scores every account-day. */
export function healthFiguresAt(facts: ScorableFacts, rules: ScoringRules, atMs: number, models: LtvModels | null = null): HealthFigures {
  const evaluatedMs = evaluatedAt(facts, atMs);
  const measured = measure(facts, rules, evaluatedMs);
  const churnRisk = churnRiskPoints(measured, rules.factors);
  return { churnRisk, band: bandOf(churnRisk, rules.bands), satisfaction: measured.satisfaction, ltv: lifetimeValue(facts, rules, new Date(evaluatedMs), models) };
}

/** An account that has ended by `atMs` is scored as of its end. */
function evaluatedAt(facts: ScorableFacts, atMs: number): number {
  if (!facts.state.exists) throw new Error(`account ${facts.accountId} has no AccountOpened to score`);
  const endedMs = endedAt(facts);
  return endedMs !== null && endedMs < atMs ? endedMs : atMs;
}

/**
 * When a lost renewal churns the account (DESIGN.md: "the account churns at contract end"): at
 * the start of the day after the contract's last day, or when the loss occurred if that was
 * later; null while its renewal is not lost. A renewal won afterwards takes it back.
 */
function churnedAt(facts: Pick<ScorableFacts, 'ltv'>): number | null {
  const { contract, lostAt } = facts.ltv;
  if (lostAt === null || contract === null) return null;
  return Math.max((dayNumberOfDate(contract.endsOn) + 1) * DAY_MS, instantMs(lostAt));
}

/** Closed, or churned by `atMs`: it expects nothing more, whatever the LTV fit. */
export function hasEnded(facts: ScorableFacts, atMs: number): boolean {
  const churnedMs = churnedAt(facts);
  return facts.state.closed || (churnedMs !== null && churnedMs <= atMs);
}

/** The account's closure or its churn, whichever came first; null while it has neither. */
function endedAt(facts: ScorableFacts): number | null {
  const churnedMs = churnedAt(facts);
  const closedMs = facts.state.closed && facts.state.closedAt !== null ? instantMs(facts.state.closedAt) : null;
  if (closedMs === null) return churnedMs;
  return churnedMs === null ? closedMs : Math.min(closedMs, churnedMs);
}

export function bandOf(churnRisk: number, bands: ScoringRules['bands']): Band {
  if (churnRisk >= bands.red) return 'red';
  return churnRisk >= bands.amber ? 'amber' : 'green';
}

function measure(facts: ScorableFacts, rules: ScoringRules, atMs: number): HealthMeasurements {
  const { state } = facts;
  const today = utcDayNumber(atMs);
  const contactedAt = facts.lastContactAt ?? state.openedAt;
  const severities: HealthMeasurements['openComplaintSeverities'][number][] = [];
  let slaBreaches = 0;
  for (const complaint of openComplaintListOf(state)) {
    severities.push(complaint.severity);
    if (instantMs(complaint.slaDueAt) < atMs) slaBreaches++;
  }
  let overdueInvoices = 0;
  let maxDaysOverdue = 0;
  // Only the unpaid ones: a paid invoice is never overdue, and the domain keeps them apart.
  for (const [, invoice] of unpaidInvoicesOf(state)) {
    const dueDay = dayNumberOfDate(invoice.dueOn);
    if (dueDay >= today) continue;
    overdueInvoices++;
    maxDaysOverdue = Math.max(maxDaysOverdue, today - dueDay);
  }
  return {
    openComplaintSeverities: severities,
    slaBreaches,
    // A contact logged ahead of the instant (replaying history) counts as today, never as negative days.
    daysSinceLastContact: contactedAt === null ? null : Math.max(0, today - utcDayNumber(instantMs(contactedAt))),
    satisfaction: summarizeSatisfaction(facts.surveys, new Date(atMs), rules.satisfaction),
    overdueInvoices,
    maxDaysOverdue,
    daysUntilRenewal: state.contract === null ? null : dayNumberOfDate(state.contract.endsOn) - today,
    renewalLost: state.renewalStatus === 'lost',
  };
}

function lifetimeValue(facts: ScorableFacts, rules: ScoringRules, at: Date, models: LtvModels | null): LtvSummary {
  const { expected, model } = expectedLtv(facts.ltv, models, at, rules.ltv);
  return { realized: facts.realized, expected, total: facts.realized + expected, currency: facts.state.currency ?? '', model };
}

/**
 * Day-based values change at UTC midnight; an SLA breach at the first instant after slaDueAt
 * (a complaint is breached once the instant is past its deadline, not at it); satisfaction
 * when a survey's instant is reached or it leaves the mean or trend window.
 */
function rescoreAfter(facts: ScorableFacts, rules: ScoringRules, atMs: number): string | null {
  const { state } = facts;
  const endedMs = endedAt(facts);
  if (endedMs !== null ? endedMs <= atMs : state.closed) return null;
  let next = nextUtcMidnight(atMs);
  const consider = (candidate: number) => {
    if (candidate > atMs && candidate < next) next = candidate;
  };
  for (const complaint of openComplaintListOf(state)) consider(instantMs(complaint.slaDueAt) + 1);
  const { meanWindowDays, trendWindowDays } = rules.satisfaction;
  for (const survey of facts.surveys) {
    const surveyedMs = instantMs(survey.at);
    consider(surveyedMs);
    consider(surveyedMs + meanWindowDays * DAY_MS + 1);
    consider(surveyedMs + trendWindowDays * DAY_MS + 1);
  }
  if (endedMs !== null) consider(endedMs);
  return new Date(next).toISOString();
}
