import type { AccountEvent } from '@ahe/events';

export interface TimedEvent {
  /** Business time, milliseconds since the epoch. */
  readonly at: number;
  readonly event: AccountEvent;
}

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const startOfDay = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** The calendar date `months` after `date`, the day clamped to the target month's length. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return isoDate(target.getTime());
}

/**
 * One account's events in time order. Follow-ups (a payment, a resolution) are scheduled for
 * later; `flush` releases what is due, sorted, and nothing once the account is closed, which
 * is how an account's history obeys "a closed account takes nothing more".
 */
export class AccountTimeline {
  private pending: TimedEvent[] = [];
  readonly emitted: TimedEvent[] = [];
  closedAt: number | null = null;

  schedule(at: number, event: AccountEvent): void {
    this.pending.push({ at: Math.round(at), event });
  }

  flush(until: number): void {
    if (this.closedAt !== null) return;
    const due = this.pending.filter((item) => item.at < until).sort((a, b) => a.at - b.at);
    this.pending = this.pending.filter((item) => item.at >= until);
    for (const item of due) {
      this.emitted.push(item);
      if (item.event.type === 'AccountClosed') {
        this.closedAt = item.at;
        this.pending = [];
        return;
      }
    }
  }

  get closed(): boolean {
    return this.closedAt !== null;
  }

  /** True when an AccountClosed is emitted or waiting to be. */
  get closing(): boolean {
    return this.closed || this.pending.some((item) => item.event.type === 'AccountClosed');
  }
}
