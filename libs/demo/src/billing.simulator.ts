import type { AccountLife } from './account-life';
import { DAY_MS, isoDate, startOfDay } from './account-timeline';
import { clamp, sigmoid } from './seeded-random';

/**
 * Issues an invoice due 30 days later and schedules its payment: on time, late, in two
 * parts, or never. Struggling accounts pay late more often.
 */
export function issueInvoice(life: AccountLife, at: number, amount: number): void {
  const { rng, timeline } = life;
  const invoiceId = `${life.accountId}-i${++life.invoices}`;
  const dueOn = isoDate(at + 30 * DAY_MS);
  timeline.schedule(at, { type: 'InvoiceIssued', data: { invoiceId, amount, dueOn } });
  if (rng.chance(life.health < -1 ? 0.12 : 0.005)) return; // bad debt: never paid

  const late = rng.chance(sigmoid(-1.6 * life.health - 2.4));
  const paidAt = late
    ? startOfDay(dueOn) + rng.int(3, 60) * DAY_MS + rng.between(0, DAY_MS)
    : at + rng.between(2 * DAY_MS, 28 * DAY_MS);
  if (late) life.health -= 0.05;
  if (amount >= 2 && rng.chance(0.1)) {
    const first = clamp(Math.round(amount * rng.between(0.3, 0.7)), 1, amount - 1);
    timeline.schedule(paidAt, { type: 'InvoicePaid', data: { invoiceId, amount: first } });
    timeline.schedule(paidAt + rng.int(10, 45) * DAY_MS, { type: 'InvoicePaid', data: { invoiceId, amount: amount - first } });
    return;
  }
  timeline.schedule(paidAt, { type: 'InvoicePaid', data: { invoiceId, amount } });
}

/**
 * What a struggling account adds to the dropout chance, on average over purchases, when churn
 * follows the signals; random churn adds it to everyone: purchase streams last about as long,
 * and no health shows in them.
 */
const RANDOM_DROPOUT_SHIFT = 0.02;

/** Non-contractual purchase stream (BG/NBD-like): a personal purchase rate, and a chance to drop out after each purchase. */
export interface PurchaseHabit {
  readonly perWeek: number;
  readonly medianSpend: number;
  readonly dropout: number;
  active: boolean;
}

export function purchaseHabit(life: AccountLife): PurchaseHabit {
  const { rng, profile } = life;
  return {
    perWeek: clamp(rng.logNormal(0.08, 0.6), 0.01, 0.5),
    medianSpend: Math.round(rng.between(profile.annualValue[0], profile.annualValue[1]) / 8),
    dropout: clamp(rng.logNormal(0.06, 0.7), 0.01, 0.5),
    active: true,
  };
}

export function simulatePurchases(life: AccountLife, habit: PurchaseHabit, weekStart: number): void {
  const { rng } = life;
  if (!habit.active || !rng.chance(habit.perWeek)) return;
  const at = weekStart + rng.between(DAY_MS, 6 * DAY_MS);
  issueInvoice(life, at, Math.max(100, Math.round(rng.logNormal(habit.medianSpend, 0.3))));
  if (rng.chance(habit.dropout + (life.churn === 'signals' ? 0.08 * clamp(-life.health, 0, 2) : RANDOM_DROPOUT_SHIFT))) {
    habit.active = false;
    // With random churn a lapse stops the purchases only: the closures come at random (account.simulator.ts).
    if (life.churn === 'signals' && rng.chance(0.5)) {
      life.timeline.schedule(at + rng.int(90, 240) * DAY_MS, { type: 'AccountClosed', data: { reason: 'No purchases for months: customer lapsed' } });
    }
  }
}
