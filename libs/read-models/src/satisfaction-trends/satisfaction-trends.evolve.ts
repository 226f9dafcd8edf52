import { assertNever, isAccountEventType, type AccountEvent, type SatisfactionRecorded } from '@ahe/events';
import type { EventEnvelope } from '@ahe/event-store';
import type { TrendGroupBy, TrendInterval } from '../query.types';
import { npsCategory, satisfactionPoints } from '../satisfaction/satisfaction-scale';

/**
 * The pure core of satisfaction_trends: which groups an account belongs to, and what one
 * survey adds to each (grouping × interval) bucket. Buckets only ever grow by increments, so
 * a batch writes sums and never reads the buckets back.
 */
export interface TrendAccount {
  readonly accountId: string;
  /** Null until the account's AccountOpened is folded. */
  readonly segment: string | null;
  readonly managerId: string | null;
  /** Stream revision of the last event folded; -1 before any. */
  readonly revision: number;
}

export interface TrendIncrement {
  readonly groupBy: TrendGroupBy;
  readonly groupKey: string;
  readonly interval: TrendInterval;
  /** YYYY-MM-DD: the ISO week's Monday or the month's 1st (UTC) of the survey's occurredAt. */
  readonly periodStart: string;
  readonly responses: number;
  /** Sum of points on the 0–100 scale. */
  readonly scoreSum: number;
  readonly csatResponses: number;
  /** Sum of csat points on the 0–100 scale. */
  readonly csatSum: number;
  readonly npsResponses: number;
  readonly npsPromoters: number;
  readonly npsDetractors: number;
}

export const TREND_INTERVALS: readonly TrendInterval[] = ['week', 'month'];

/** What every event but a survey adds: shared, as most events are not surveys. */
const NO_INCREMENTS: readonly TrendIncrement[] = Object.freeze([]);

export class TrendAccountNotOpenedError extends Error {
  override readonly name = 'TrendAccountNotOpenedError';

  constructor(accountId: string, envelope: Pick<EventEnvelope, 'eventId' | 'type' | 'revision'>) {
    super(`account ${accountId}: ${envelope.type} ${envelope.eventId} at revision ${envelope.revision} precedes any AccountOpened`);
  }
}

export function initialTrendAccount(accountId: string): TrendAccount {
  return { accountId, segment: null, managerId: null, revision: -1 };
}

/**
 * Folds one envelope of the account's stream. The survey counts for the groups the account is
 * in when the survey is folded (log order), whatever its occurredAt: a back-dated survey
 * does not follow the account to a manager it had back then.
 */
export function evolveTrendAccount(
  account: TrendAccount,
  envelope: Pick<EventEnvelope, 'eventId' | 'type' | 'revision' | 'occurredAt' | 'data'>,
): { readonly account: TrendAccount; readonly increments: readonly TrendIncrement[] } {
  const stamped: TrendAccount = { ...account, revision: envelope.revision };
  // A type this build does not know changes nothing but the revision.
  if (!isAccountEventType(envelope.type)) return { account: stamped, increments: NO_INCREMENTS };
  const event = { type: envelope.type, data: envelope.data } as AccountEvent;
  switch (event.type) {
    case 'AccountOpened':
      return { account: { ...stamped, segment: event.data.segment, managerId: event.data.managerId }, increments: NO_INCREMENTS };
    case 'AccountManagerAssigned':
      if (account.segment === null) throw new TrendAccountNotOpenedError(account.accountId, envelope);
      return { account: { ...stamped, managerId: event.data.managerId }, increments: NO_INCREMENTS };
    case 'SatisfactionRecorded':
      if (account.segment === null || account.managerId === null) throw new TrendAccountNotOpenedError(account.accountId, envelope);
      return { account: stamped, increments: surveyIncrements(account, envelope.occurredAt, event.data) };
    case 'ContactLogged':
    case 'ComplaintRaised':
    case 'ComplaintResolved':
    case 'InvoiceIssued':
    case 'InvoicePaid':
    case 'RenewalWon':
    case 'RenewalLost':
    case 'ExpansionWon':
    case 'AccountClosed':
    case 'EscalationOpened':
    case 'EscalationAcknowledged':
    case 'EscalationResolved':
      return { account: stamped, increments: NO_INCREMENTS };
    default:
      return assertNever(event);
  }
}

/** One survey's contribution to the 3 groupings × 2 intervals of an opened account. */
export function surveyIncrements(account: TrendAccount, occurredAt: string, survey: Pick<SatisfactionRecorded, 'kind' | 'score'>): TrendIncrement[] {
  const points = satisfactionPoints(survey.kind, survey.score);
  const isNps = survey.kind === 'nps';
  const category = isNps ? npsCategory(survey.score) : null;
  const periods = periodStartsOf(occurredAt);
  const groups: ReadonlyArray<readonly [TrendGroupBy, string | null]> = [
    ['account', account.accountId],
    ['segment', account.segment],
    ['manager', account.managerId],
  ];
  return groups.flatMap(([groupBy, groupKey]) => {
    if (groupKey === null) throw new Error(`account ${account.accountId} has no ${groupBy} to count a survey for`);
    return TREND_INTERVALS.map((interval) => ({
      groupBy,
      groupKey,
      interval,
      periodStart: periods[interval],
      responses: 1,
      scoreSum: points,
      csatResponses: isNps ? 0 : 1,
      csatSum: isNps ? 0 : points,
      npsResponses: isNps ? 1 : 0,
      npsPromoters: category === 'promoter' ? 1 : 0,
      npsDetractors: category === 'detractor' ? 1 : 0,
    }));
  });
}

const DAY_MS = 86_400_000;

/** First day of the UTC ISO week (Monday) or month holding `instant`, as YYYY-MM-DD. */
export function periodStartOf(interval: TrendInterval, instant: string): string {
  return periodStartsOf(instant)[interval];
}

type PeriodStarts = Readonly<Record<TrendInterval, string>>;

/** By UTC day number: a log holds a few thousand distinct days, and formatting dates costs more than folding a survey. */
const periodStartsByDay = new Map<number, PeriodStarts>();

function periodStartsOf(instant: string): PeriodStarts {
  const ms = Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${instant}`);
  const day = Math.floor(ms / DAY_MS);
  let starts = periodStartsByDay.get(day);
  if (starts === undefined) {
    // 1970-01-01 was a Thursday: day 0 is 3 days after its week's Monday.
    const sinceMonday = (((day + 3) % 7) + 7) % 7;
    starts = { week: new Date((day - sinceMonday) * DAY_MS).toISOString().slice(0, 10), month: `${new Date(day * DAY_MS).toISOString().slice(0, 7)}-01` };
    periodStartsByDay.set(day, starts);
  }
  return starts;
}

export function incrementKey(increment: TrendIncrement): string {
  return `${increment.groupBy}\u0000${increment.groupKey}\u0000${increment.interval}\u0000${increment.periodStart}`;
}

/** A bucket's running sums while a batch is folded: one object per bucket, added to in place. */
export type TrendSums = { -readonly [K in keyof TrendIncrement]: TrendIncrement[K] };

/** Adds an increment to its bucket's sums: one upsert may touch each row only once. */
export function addIncrement(into: Map<string, TrendSums>, increment: TrendIncrement): void {
  const key = incrementKey(increment);
  const sum = into.get(key);
  if (sum === undefined) {
    into.set(key, { ...increment });
    return;
  }
  sum.responses += increment.responses;
  sum.scoreSum += increment.scoreSum;
  sum.csatResponses += increment.csatResponses;
  sum.csatSum += increment.csatSum;
  sum.npsResponses += increment.npsResponses;
  sum.npsPromoters += increment.npsPromoters;
  sum.npsDetractors += increment.npsDetractors;
}
