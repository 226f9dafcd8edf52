import { currentSchemaVersion, type AccountEventType } from '@ahe/events';
import { eventStoreOn, type NewEvent } from '@ahe/event-store';
import { openTarget, type StoreTarget } from './store-target';

/** The as-of line's account (as-of.bench.ts). */
export const ACCOUNT_ID = 'asof-bench-account';
export const HOUR_MS = 3_600_000;
const APPEND_BATCH = 500;

/** One account opened `events` hours ago and an event an hour since: contacts, surveys, invoices and their payments. */
export async function appendLongAccount(target: StoreTarget, openedAt: number, events: number, log: (line: string) => void): Promise<void> {
  log(`as-of: appending ${events.toLocaleString('en')} events to one account…`);
  const sql = await openTarget(target, 2);
  try {
    const store = await eventStoreOn(sql);
    const all = Array.from({ length: events }, (_, n) => accountEvent(n, openedAt + n * HOUR_MS));
    for (let offset = 0; offset < all.length; offset += APPEND_BATCH) {
      await store.append(`account-${ACCOUNT_ID}`, all.slice(offset, offset + APPEND_BATCH), offset === 0 ? 'no_stream' : offset - 1);
    }
  } finally {
    await sql.close();
  }
}

function accountEvent(n: number, at: number): NewEvent {
  const event = (type: AccountEventType, data: unknown): NewEvent => ({
    type, schemaVersion: currentSchemaVersion(type), occurredAt: new Date(at).toISOString(), data,
    metadata: { correlationId: `asof-bench-${n}`, actor: 'bench' },
  });
  if (n === 0) {
    const startsOn = new Date(at).toISOString().slice(0, 10);
    const endsOn = new Date(at + 3 * 365 * 24 * HOUR_MS).toISOString().slice(0, 10);
    return event('AccountOpened', { name: 'Long History Ltd', segment: 'enterprise', managerId: 'mgr-bench', currency: 'EUR', contract: { startsOn, endsOn, annualValue: 120_000_00 } });
  }
  const invoice = `asof-inv-${Math.floor(n / 4)}`;
  switch (n % 4) {
    case 1: return event('ContactLogged', { channel: 'call', direction: 'outbound', summary: `Check-in ${n}`, sentiment: (n % 10) / 10 });
    case 2: return event('SatisfactionRecorded', { kind: 'nps', score: n % 11 });
    case 3: return event('InvoiceIssued', { invoiceId: invoice, amount: 10_000_00, dueOn: new Date(at + 30 * 24 * HOUR_MS).toISOString().slice(0, 10) });
    default: return event('InvoicePaid', { invoiceId: `asof-inv-${Math.floor(n / 4) - 1}`, amount: 10_000_00 });
  }
}
