import type { FoldableEvent } from '@ahe/domain';
import type { AccountEvent } from '@ahe/events';
import { evolveLtvHistory, initialLtvHistory } from './ltv-history';
import type { LtvHistory } from './ltv.types';

/** Events as the LTV specs write them: occurredAt first, then the event. */
export const on = (occurredAt: string, event: AccountEvent): FoldableEvent => ({ ...event, occurredAt });

export const openedWithContract = (occurredAt: string, segment: string, contract: { startsOn: string; endsOn: string; annualValue: number }): FoldableEvent =>
  on(occurredAt, { type: 'AccountOpened', data: { name: 'Acme', segment, managerId: 'mgr-1', currency: 'EUR', contract } });

export const openedWithoutContract = (occurredAt: string, segment: string, currency = 'EUR'): FoldableEvent =>
  on(occurredAt, { type: 'AccountOpened', data: { name: 'Acme', segment, managerId: 'mgr-1', currency } });

let invoices = 0;
export const invoice = (occurredAt: string, amount: number): FoldableEvent =>
  on(occurredAt, { type: 'InvoiceIssued', data: { invoiceId: `inv-${++invoices}`, amount, dueOn: occurredAt.slice(0, 10) } });

export const renewalWon = (occurredAt: string, endsOn: string, annualValue: number): FoldableEvent => on(occurredAt, { type: 'RenewalWon', data: { endsOn, annualValue } });
export const renewalLost = (occurredAt: string): FoldableEvent => on(occurredAt, { type: 'RenewalLost', data: { reason: 'budget' } });
export const closed = (occurredAt: string): FoldableEvent => on(occurredAt, { type: 'AccountClosed', data: { reason: 'ended' } });

export const foldLtv = (events: readonly FoldableEvent[]): LtvHistory => events.reduce(evolveLtvHistory, initialLtvHistory());
