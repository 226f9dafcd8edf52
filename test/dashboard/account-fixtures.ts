import { eventually } from '../support/eventually';
import type { HealthRow } from './api-types';
import type { DemoApi } from './demo-api';

/**
 * Accounts the demo portfolio lacks, opened through the public API: red accounts billed in
 * currencies whose minor unit is not a cent, and an account closed before the demo begins.
 */
const DAY_MS = 86_400_000;
const instant = (daysFromNow: number) => new Date(Date.now() + daysFromNow * DAY_MS).toISOString();
const day = (daysFromNow: number) => instant(daysFromNow).slice(0, 10);

/** ¥1.2M, BD 1,200 or €12,000: 1,200,000 minor units. */
export const ANNUAL_VALUE = 1_200_000;
export const PAID_INVOICE = { invoiceId: 'paid-1', amount: 300_000 };

/** 1 for JPY, 1000 for BHD, 100 for EUR: ISO 4217 minor-unit digits, as the API counts money. */
export const minorUnitsPerMajor = (currency: string) =>
  10 ** (new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2);

/** What the dashboard shows for an amount in its en-US session ('¥1,200,000', 'BHD 1,200'). */
export const moneyText = (minorUnits: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(minorUnits / minorUnitsPerMajor(currency));

/**
 * An open account in `currency`, red at once: two critical complaints past their SLA, surveys
 * falling to 0, three invoices long overdue and a renewal near with no contact. One paid
 * invoice gives it realized value.
 */
export async function openRedAccount(api: DemoApi, accountId: string, currency: string): Promise<HealthRow> {
  const command = (path: string, body: object) => api.post(`/v1/accounts/${accountId}${path}`, body);
  await api.post('/v1/accounts', {
    accountId, name: `Red account in ${currency}`, segment: 'fixtures', managerId: 'mgr-fixtures', currency,
    contract: { startsOn: day(-200), endsOn: day(60), annualValue: ANNUAL_VALUE }, occurredAt: instant(-200),
  });
  await command('/surveys', { kind: 'nps', score: 10, occurredAt: instant(-150) });
  for (const index of [1, 2, 3]) await command('/invoices', { invoiceId: `late-${index}`, amount: 100_000, dueOn: day(-100), occurredAt: instant(-130) });
  await command('/invoices', { ...PAID_INVOICE, dueOn: day(-90), occurredAt: instant(-120) });
  await command(`/invoices/${PAID_INVOICE.invoiceId}/payments`, { amount: PAID_INVOICE.amount, occurredAt: instant(-95) });
  for (const index of [1, 2]) await command('/complaints', { complaintId: `critical-${index}`, severity: 'critical', category: 'outage', description: 'Down again', occurredAt: instant(-40) });
  await command('/surveys', { kind: 'nps', score: 0, occurredAt: instant(-1) });
  return eventually('the account projected, red', () => api.get<HealthRow>(`/v1/health/${accountId}`), (row) => row.band === 'red');
}

/** An account opened and closed ten years ago, before the demo's history: alone in the store at the time. */
export async function openAccountClosedLongAgo(api: DemoApi, accountId: string): Promise<{ openedOn: string }> {
  await api.post('/v1/accounts', { accountId, name: 'Closed long ago', segment: 'fixtures', managerId: 'mgr-fixtures', currency: 'EUR', occurredAt: instant(-3650) });
  await api.post(`/v1/accounts/${accountId}/closure`, { reason: 'Acquired', occurredAt: instant(-3649) });
  return { openedOn: day(-3650) };
}

/** Once every projection has caught up, the rollups count the accounts just opened. */
export function projectionsCaughtUp(api: DemoApi): Promise<unknown> {
  return eventually(
    'projections caught up',
    () => api.get<{ items: { lag: { events: number } }[] }>('/v1/projections'),
    ({ items }) => items.every((projection) => projection.lag.events === 0),
    60_000,
  );
}
