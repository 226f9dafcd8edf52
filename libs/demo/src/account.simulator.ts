import type { AccountLife, ChurnMode } from './account-life';
import { issueInvoice, purchaseHabit, simulatePurchases } from './billing.simulator';
import { CURRENCIES, NAME_FORMS, NAME_PREFIXES, NAME_SUFFIXES, SEGMENTS, type SegmentName } from './demo-catalogue';
import { simulateComplaints, simulateContacts, simulateGrowthAndOwnership, simulateSurveys } from './engagement.simulator';
import { addMonths, AccountTimeline, DAY_MS, isoDate, startOfDay, WEEK_MS, type TimedEvent } from './account-timeline';
import { lossReason, NO_SIGNAL_REASON, observeSignals, renewalLossProbability } from './renewal-signals';
import type { SeededRandom } from './seeded-random';

const HOUR_MS = 3_600_000;

function openAccount(accountId: string, rng: SeededRandom, startsAt: number, endsAt: number, churn: ChurnMode): AccountLife {
  const segment = rng.weighted(Object.fromEntries(Object.entries(SEGMENTS).map(([name, profile]) => [name, profile.share])) as Record<SegmentName, number>);
  const profile = SEGMENTS[segment];
  // Part of the book exists when the period starts; the rest is won along the way.
  const openedAt = Math.round(rng.chance(0.4) ? startsAt + rng.between(0, 60 * DAY_MS) : rng.between(startsAt, Math.max(startsAt, endsAt - 90 * DAY_MS)));
  const annualValue = Math.round(rng.between(...profile.annualValue) / 100) * 100;
  const contractual = rng.chance(profile.contractual);
  const startsOn = isoDate(openedAt);
  const contractEndsOn = contractual ? addMonths(startsOn, rng.pick(profile.termMonths)) : null;
  const life: AccountLife = {
    accountId, rng, segment, profile, openedAt, endsAt, churn, timeline: new AccountTimeline(),
    health: rng.normal(0.3, 1), managerId: rng.pick(profile.managers), annualValue, contractEndsOn,
    renewalLost: false, invoices: 0, complaints: 0,
  };
  life.timeline.schedule(openedAt, {
    type: 'AccountOpened',
    data: {
      name: `${rng.pick(NAME_PREFIXES)} ${rng.pick(NAME_SUFFIXES)} ${rng.pick(NAME_FORMS)}`,
      segment, managerId: life.managerId, currency: rng.weighted(CURRENCIES),
      ...(contractEndsOn ? { contract: { startsOn, endsOn: contractEndsOn, annualValue } } : {}),
    },
  });
  return life;
}

/**
 * The contract will not be renewed: the account stays until the contract's end, then closes
 * (if that is before `endsAt`; otherwise it is still open, renewal lost, at the end of the period).
 */
function loseRenewal(life: AccountLife, at: number, reason: string): void {
  life.timeline.schedule(at, { type: 'RenewalLost', data: { reason } });
  life.timeline.schedule(startOfDay(life.contractEndsOn!) + 18 * HOUR_MS, { type: 'AccountClosed', data: { reason: `Contract ended: ${reason}` } });
  life.renewalLost = true;
}

/** Decides the renewal from what the account showed in the last year (README.md); with random churn it is always won. */
function decideRenewal(life: AccountLife, decisionAt: number, termMonths: number): void {
  const { rng, timeline } = life;
  if (life.churn === 'signals') {
    const signals = observeSignals(timeline.emitted, decisionAt, life.openedAt);
    if (rng.chance(renewalLossProbability(signals, life.profile))) return loseRenewal(life, decisionAt, lossReason(signals));
  }
  life.annualValue = Math.max(0, Math.round((life.annualValue * (1 + rng.normal(0.04, 0.04))) / 100) * 100);
  life.contractEndsOn = addMonths(life.contractEndsOn!, termMonths);
  timeline.schedule(decisionAt, { type: 'RenewalWon', data: { endsOn: life.contractEndsOn, annualValue: life.annualValue } });
  life.health += 0.2;
}

/**
 * Random churn (README.md): every open account, whatever its segment, contract, health or
 * renewal date, leaves with the same chance each week — about the portfolio's churn rate
 * when it follows the signals (seed 42).
 */
const RANDOM_WEEKLY_CHURN = 0.0031;

function churnAtRandom(life: AccountLife, weekStart: number): void {
  const at = weekStart + life.rng.between(0, WEEK_MS);
  if (life.contractEndsOn !== null) loseRenewal(life, at, NO_SIGNAL_REASON);
  else life.timeline.schedule(at, { type: 'AccountClosed', data: { reason: `Customer left: ${NO_SIGNAL_REASON}` } });
}

/** One account's life, week by week, from its opening to `endsAt` or its closure. */
export function simulateAccount(accountId: string, rng: SeededRandom, startsAt: number, endsAt: number, churn: ChurnMode = 'signals'): TimedEvent[] {
  const life = openAccount(accountId, rng, startsAt, endsAt, churn);
  const { timeline, profile } = life;
  const termMonths = rng.pick(profile.termMonths);
  const habit = life.contractEndsOn === null ? purchaseHabit(life) : null;
  const decisionOf = (endsOn: string) => startOfDay(endsOn) - rng.between(20 * DAY_MS, 60 * DAY_MS);
  let decisionAt = life.contractEndsOn ? decisionOf(life.contractEndsOn) : Infinity;
  let nextBilling = life.openedAt + HOUR_MS;

  for (let weekStart = life.openedAt; weekStart < endsAt && !timeline.closed; weekStart += WEEK_MS) {
    const weekEnd = Math.min(weekStart + WEEK_MS, endsAt);
    if (!timeline.closing) {
      life.health += rng.normal(0, 0.15) + 0.02 * (0.3 - life.health);
      simulateContacts(life, weekStart);
      simulateComplaints(life, weekStart);
      simulateSurveys(life, weekStart);
      simulateGrowthAndOwnership(life, weekStart);
      if (habit) simulatePurchases(life, habit, weekStart);
      while (life.contractEndsOn && nextBilling < weekEnd && isoDate(nextBilling) < life.contractEndsOn) {
        issueInvoice(life, nextBilling, Math.max(1, Math.round((life.annualValue * profile.billingMonths) / 12)));
        nextBilling = startOfDay(addMonths(isoDate(nextBilling), profile.billingMonths)) + HOUR_MS;
      }
      if (rng.chance(0.0004)) timeline.schedule(weekStart + rng.between(0, WEEK_MS), { type: 'AccountClosed', data: { reason: 'Customer went out of business' } });
      if (life.churn === 'random' && !life.renewalLost && rng.chance(RANDOM_WEEKLY_CHURN)) churnAtRandom(life, weekStart);
      if (!life.renewalLost && decisionAt >= weekStart && decisionAt < weekEnd) {
        timeline.flush(decisionAt);
        if (!timeline.closing) decideRenewal(life, decisionAt, termMonths);
        if (!life.renewalLost) decisionAt = decisionOf(life.contractEndsOn!);
      }
    }
    timeline.flush(weekEnd);
  }
  return timeline.emitted;
}
