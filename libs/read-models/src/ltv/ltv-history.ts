import type { FoldableEvent } from '@ahe/domain';
import { assertNever, type AccountEventType } from '@ahe/events';
import { instantMs, utcDayNumber } from '../scoring/utc-calendar';
import type { LtvHistory } from './ltv.types';

export function initialLtvHistory(): LtvHistory {
  return { segment: '', currency: '', contractual: false, contract: null, renewalsWon: 0, lostAt: null, closedAt: null, purchases: [] };
}

/**
 * Folds one event of the account's stream. Pure and total, like the domain's `evolve`: an
 * event that does not bear on value returns the same object, which tells callers that nothing
 * changed.
 */
export function evolveLtvHistory(history: LtvHistory, event: FoldableEvent): LtvHistory {
  if (!foldsIntoLtv(event)) return history;
  switch (event.type) {
    case 'AccountOpened': {
      const { segment, currency, contract } = event.data;
      return {
        ...history,
        segment,
        currency,
        contractual: contract !== undefined,
        contract: contract === undefined ? null : { endsOn: contract.endsOn, annualValue: contract.annualValue },
      };
    }
    case 'RenewalWon': {
      const { endsOn, annualValue } = event.data;
      // As in the domain's fold: a renewal moves the contract on, it does not create one.
      const contract = history.contract === null ? null : { endsOn, annualValue };
      return { ...history, contract, renewalsWon: history.renewalsWon + 1, lostAt: null };
    }
    case 'RenewalLost':
      return { ...history, lostAt: event.occurredAt };
    case 'AccountClosed':
      return { ...history, closedAt: event.occurredAt };
    case 'InvoiceIssued':
      return { ...history, purchases: withPurchase(history.purchases, utcDayNumber(instantMs(event.occurredAt)), event.data.amount) };
    default:
      // Only the types BEARS_ON_LTV marks true reach here: one this switch misses does not compile.
      return assertNever(event);
  }
}

/**
 * Adds an invoice to the purchase of its UTC day. Invoices mostly arrive in day order, so the
 * search runs from the end; a back-dated one is slotted in where its day belongs.
 */
function withPurchase(purchases: LtvHistory['purchases'], day: number, amount: number): LtvHistory['purchases'] {
  let index = purchases.length;
  while (index > 0 && purchases[index - 1]![0] > day) index--;
  const previous = purchases[index - 1];
  // slice + concat allocate the exact length; spreading into a literal leaves spare capacity
  // (about 17 slots per list), which the as-of LTV index keeps for every account.
  if (previous !== undefined && previous[0] === day) {
    return purchases.slice(0, index - 1).concat([[day, previous[1] + amount]], purchases.slice(index));
  }
  return purchases.slice(0, index).concat([[day, amount]], purchases.slice(index));
}

/**
 * The one list of the event types evolveLtvHistory folds. Every type is listed, so a new event
 * type does not compile until it is classified here; every other type's history is handed back
 * unchanged (the as-of LTV index passes over those).
 */
const BEARS_ON_LTV = {
  AccountOpened: true,
  RenewalWon: true,
  RenewalLost: true,
  AccountClosed: true,
  InvoiceIssued: true,
  AccountManagerAssigned: false,
  ContactLogged: false,
  ComplaintRaised: false,
  ComplaintResolved: false,
  SatisfactionRecorded: false,
  InvoicePaid: false,
  ExpansionWon: false,
  EscalationOpened: false,
  EscalationAcknowledged: false,
  EscalationResolved: false,
} as const satisfies Readonly<Record<AccountEventType, boolean>>;

/** The types BEARS_ON_LTV marks true: the ones evolveLtvHistory's switch must handle. */
type LtvEventType = { [Type in AccountEventType]: (typeof BEARS_ON_LTV)[Type] extends true ? Type : never }[AccountEventType];

const foldsIntoLtv = (event: FoldableEvent): event is Extract<FoldableEvent, { type: LtvEventType }> => BEARS_ON_LTV[event.type];

export function bearsOnLtv(type: AccountEventType): boolean {
  return BEARS_ON_LTV[type];
}
