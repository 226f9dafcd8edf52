import { invoiceOf, openComplaintOf, outstandingOf, type AccountState } from '@ahe/domain';
import type { EventEnvelope } from '@ahe/event-store';
import type { ComplaintRaised, InvoiceIssued } from '@ahe/events';
import { excerpt } from './escalation-reasons';

/**
 * The event that started a timer (a complaint's SLA, an invoice's grace period) or asked for an
 * at-once open (a critical complaint). The account state keeps the complaint and the invoice but
 * not the event that raised them, so without this a sweep that plans such a job again, after
 * Redis lost it, would name the wrong trigger.
 */
export interface TimerCause {
  readonly eventId: string;
  readonly correlationId?: string;
}

export interface ComplaintTimerCause extends TimerCause {
  /** The SLA reason names it; the account state does not keep it. */
  readonly category: string;
  /** As the critical-complaint reason quotes it (cut short); absent in a watch folded before it was kept. */
  readonly description?: string;
}

/** Only what is still pending: open complaints and invoices not paid in full, so it stays small. */
export interface TimerCauses {
  readonly complaints: Readonly<Record<string, ComplaintTimerCause>>;
  readonly invoices: Readonly<Record<string, TimerCause>>;
}

export const NO_TIMER_CAUSES: TimerCauses = Object.freeze({ complaints: Object.freeze({}), invoices: Object.freeze({}) });

/** The envelope's correlationId, when it has a usable one. */
export function correlationIdOf(envelope: EventEnvelope): string | undefined {
  const { correlationId } = envelope.metadata;
  return typeof correlationId === 'string' && correlationId !== '' ? correlationId : undefined;
}

/**
 * Remembers the cause of every timer the envelope starts and forgets those it ends; `state`
 * is the account after the envelope, so a partial payment keeps the invoice's cause.
 */
export function evolveTimerCauses(causes: TimerCauses, envelope: EventEnvelope, state: AccountState): TimerCauses {
  const correlationId = correlationIdOf(envelope);
  const cause: TimerCause = { eventId: envelope.eventId, ...(correlationId === undefined ? {} : { correlationId }) };
  if (state.closed) return NO_TIMER_CAUSES;
  switch (envelope.type) {
    case 'ComplaintRaised': {
      const { complaintId, category, description } = envelope.data as ComplaintRaised;
      // A computed key defines an own property even for "__proto__": ids are user input.
      return { ...causes, complaints: { ...causes.complaints, [complaintId]: { ...cause, category, description: excerpt(description) } } };
    }
    case 'InvoiceIssued':
      return { ...causes, invoices: { ...causes.invoices, [(envelope.data as InvoiceIssued).invoiceId]: cause } };
    case 'ComplaintResolved':
    case 'InvoicePaid':
      return {
        // Lookups, not state.openComplaints / state.invoices: on a folded state those build the whole record.
        complaints: kept(causes.complaints, (complaintId) => openComplaintOf(state, complaintId) !== undefined),
        invoices: kept(causes.invoices, (invoiceId) => {
          const invoice = invoiceOf(state, invoiceId);
          return invoice !== undefined && outstandingOf(invoice) > 0;
        }),
      };
    default:
      // No other event starts or ends a timer.
      return causes;
  }
}

function kept<Value>(record: Readonly<Record<string, Value>>, keep: (key: string) => boolean): Readonly<Record<string, Value>> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keep(key)));
}
