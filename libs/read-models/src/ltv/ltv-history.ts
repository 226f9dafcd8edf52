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
    case 'AccountManagerAssigned':
    case 'ContactLogged':
    case 'ComplaintRaised':
    case 'ComplaintResolved':
    case 'SatisfactionRecorded':
    case 'InvoicePaid':
    case 'ExpansionWon':
    case 'EscalationOpened':
    case 'EscalationAcknowledged':
    case 'EscalationResolved':
      return history;
    default:
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
  if (previous !== undefined && previous[0] === day) {
    return [...purchases.slice(0, index - 1), [day, previous[1] + amount], ...purchases.slice(index)];
  }
  return [...purchases.slice(0, index), [day, amount], ...purchases.slice(index)];
}

/** The events evolveLtvHistory folds; it hands every other one's history back unchanged (the as-of LTV index passes over those). */
export function bearsOnLtv(type: AccountEventType): boolean {
  switch (type) {
    case 'AccountOpened':
    case 'RenewalWon':
    case 'RenewalLost':
    case 'AccountClosed':
    case 'InvoiceIssued':
      return true;
    case 'AccountManagerAssigned':
    case 'ContactLogged':
    case 'ComplaintRaised':
    case 'ComplaintResolved':
    case 'SatisfactionRecorded':
    case 'InvoicePaid':
    case 'ExpansionWon':
    case 'EscalationOpened':
    case 'EscalationAcknowledged':
    case 'EscalationResolved':
      return false;
    default:
      return assertNever(type);
  }
}
