import fc from 'fast-check';
import { SEVERITIES } from '@ahe/events';
import { loadScoringRules } from '../scoring/scoring-rules.loader';
import { DAY_MS } from '../scoring/utc-calendar';
import { PUBLISHED_LTV_FIT, opened, type HistoryEvent } from './account-health.fixtures';

/* What the property specs of the score and of the stored facts draw from. */

export const rules = loadScoringRules();
const START = Date.parse('2024-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const day = (date: string) => Date.parse(`${date}T00:00:00.000Z`);

/** A random but valid account history: opened first (with a contract), then anything, in time order. */
const contractualHistory = fc
  .array(
    fc.tuple(
      fc.integer({ min: 1, max: 20 * DAY_MS }),
      fc.oneof(
        fc.record({ type: fc.constant('ContactLogged' as const) }),
        fc.record({ type: fc.constant('ComplaintRaised' as const), id: fc.integer({ min: 1, max: 6 }), severity: fc.constantFrom(...SEVERITIES), slaHours: fc.integer({ min: 1, max: 200 }) }),
        fc.record({ type: fc.constant('ComplaintResolved' as const), id: fc.integer({ min: 1, max: 6 }) }),
        fc.record({ type: fc.constant('SatisfactionRecorded' as const), score: fc.integer({ min: 0, max: 10 }) }),
        fc.record({ type: fc.constant('InvoiceIssued' as const), id: fc.integer({ min: 1, max: 6 }), amount: fc.integer({ min: 1, max: 10_000 }), dueDays: fc.integer({ min: 0, max: 60 }) }),
        fc.record({ type: fc.constant('InvoicePaid' as const), id: fc.integer({ min: 1, max: 6 }), amount: fc.integer({ min: 1, max: 10_000 }) }),
        fc.record({ type: fc.constant('RenewalWon' as const), months: fc.integer({ min: 1, max: 24 }) }),
        fc.record({ type: fc.constant('RenewalLost' as const) }),
        fc.record({ type: fc.constant('AccountClosed' as const) }),
      ),
    ),
    { maxLength: 40 },
  )
  .map((steps) => {
    let at = START;
    const events: HistoryEvent[] = [opened(iso(at), { startsOn: '2024-01-01', endsOn: '2024-12-31', annualValue: 365_000 })];
    for (const [gap, step] of steps) {
      at += gap;
      const occurredAt = iso(at);
      const date = occurredAt.slice(0, 10);
      switch (step.type) {
        case 'ContactLogged':
          events.push({ type: step.type, occurredAt, data: { channel: 'call', direction: 'outbound', summary: 'call' } });
          break;
        case 'ComplaintRaised':
          events.push({ type: step.type, occurredAt, data: { complaintId: `c${step.id}`, severity: step.severity, category: 'x', description: 'x', slaDueAt: iso(at + step.slaHours * 3_600_000) } });
          break;
        case 'ComplaintResolved':
          events.push({ type: step.type, occurredAt, data: { complaintId: `c${step.id}`, resolution: 'ok' } });
          break;
        case 'SatisfactionRecorded':
          events.push({ type: step.type, occurredAt, data: { kind: 'nps', score: step.score } });
          break;
        case 'InvoiceIssued':
          events.push({ type: step.type, occurredAt, data: { invoiceId: `i${step.id}`, amount: step.amount, dueOn: iso(day(date) + step.dueDays * DAY_MS).slice(0, 10) } });
          break;
        case 'InvoicePaid':
          events.push({ type: step.type, occurredAt, data: { invoiceId: `i${step.id}`, amount: step.amount } });
          break;
        case 'RenewalWon':
          events.push({ type: step.type, occurredAt, data: { endsOn: iso(at + step.months * 30 * DAY_MS).slice(0, 10), annualValue: 400_000 } });
          break;
        case 'RenewalLost':
          events.push({ type: step.type, occurredAt, data: { reason: 'price' } });
          break;
        case 'AccountClosed':
          events.push({ type: step.type, occurredAt, data: { reason: 'gone' } });
          break;
      }
    }
    return events;
  });

/** As often without a contract: its invoices are then purchases, valued by BG/NBD × Gamma-Gamma. */
export const history = fc
  .tuple(contractualHistory, fc.boolean())
  .map(([events, contractual]) => (contractual ? events : [opened(events[0]!.occurredAt), ...events.slice(1)]));
export const models = fc.constantFrom(null, PUBLISHED_LTV_FIT);

export const instant = fc.integer({ min: START, max: START + 900 * DAY_MS });
