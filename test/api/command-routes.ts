import { freshAccountId, openAccountBody, type RunningApi } from './api-harness';

/** Ids that `prepareAccount` creates, so routes that act on a complaint or an invoice find one. */
export const COMPLAINT_ID = 'cmp-1';
export const INVOICE_ID = 'inv-1';

export interface CommandRouteCase {
  readonly name: string;
  readonly method: 'post' | 'put';
  readonly path: (accountId: string) => string;
  readonly status: 201;
  /** A body the route accepts on a prepared account. */
  readonly body: () => Record<string, unknown>;
  readonly eventType: string;
  /** Required fields, each of which must be named when missing. */
  readonly required: readonly string[];
  /** A value of the wrong type for each field. */
  readonly wrongTyped: Readonly<Record<string, unknown>>;
}

const on = (suffix: string) => (accountId: string) => `/v1/accounts/${accountId}${suffix}`;

/** Every route of API.md "Commands" but the import. */
export const COMMAND_ROUTES: readonly CommandRouteCase[] = [
  {
    name: 'open account', method: 'post', path: () => '/v1/accounts', status: 201, eventType: 'AccountOpened',
    body: () => openAccountBody(freshAccountId('open')),
    required: ['name', 'segment', 'managerId', 'currency'],
    wrongTyped: { accountId: 42, name: 7, segment: ['x'], managerId: true, currency: 978, contract: 'none', occurredAt: 1_700_000_000 },
  },
  {
    name: 'assign manager', method: 'put', path: on('/manager'), status: 201, eventType: 'AccountManagerAssigned',
    body: () => ({ managerId: `mgr-${Math.random().toString(36).slice(2, 8)}` }),
    required: ['managerId'], wrongTyped: { managerId: 12 },
  },
  {
    name: 'log contact', method: 'post', path: on('/contacts'), status: 201, eventType: 'ContactLogged',
    body: () => ({ channel: 'call', direction: 'outbound', summary: 'Quarterly review', sentiment: 0.4 }),
    required: ['channel', 'direction', 'summary'],
    wrongTyped: { channel: 1, direction: false, summary: { text: 'x' }, sentiment: 'positive' },
  },
  {
    name: 'raise complaint', method: 'post', path: on('/complaints'), status: 201, eventType: 'ComplaintRaised',
    body: () => ({ severity: 'high', category: 'billing', description: 'Invoice twice' }),
    required: ['severity', 'category', 'description'],
    wrongTyped: { complaintId: 5, severity: 3, category: null, description: 9, slaDueAt: 'tomorrow' },
  },
  {
    name: 'resolve complaint', method: 'post', path: on(`/complaints/${COMPLAINT_ID}/resolution`), status: 201,
    eventType: 'ComplaintResolved', body: () => ({ resolution: 'Credit note issued' }),
    required: ['resolution'], wrongTyped: { resolution: 1 },
  },
  {
    name: 'record survey', method: 'post', path: on('/surveys'), status: 201, eventType: 'SatisfactionRecorded',
    body: () => ({ kind: 'nps', score: 9, comment: 'Great support' }),
    required: ['kind', 'score'], wrongTyped: { kind: 'stars', score: '9', comment: 5 },
  },
  {
    name: 'issue invoice', method: 'post', path: on('/invoices'), status: 201, eventType: 'InvoiceIssued',
    body: () => ({ amount: 50_000, dueOn: '2025-03-31', occurredAt: '2025-03-01T00:00:00Z' }),
    required: ['amount', 'dueOn'], wrongTyped: { invoiceId: [], amount: 12.5, dueOn: 20250331 },
  },
  {
    name: 'record payment', method: 'post', path: on(`/invoices/${INVOICE_ID}/payments`), status: 201, eventType: 'InvoicePaid',
    body: () => ({ amount: 100 }),
    required: ['amount'], wrongTyped: { amount: '100' },
  },
  {
    name: 'record renewal', method: 'post', path: on('/renewals'), status: 201, eventType: 'RenewalWon',
    body: () => ({ outcome: 'won', endsOn: '2027-12-31', annualValue: 130_000_00 }),
    required: ['outcome'], wrongTyped: { outcome: true, endsOn: 2027, annualValue: '1' },
  },
  {
    name: 'win expansion', method: 'post', path: on('/expansions'), status: 201, eventType: 'ExpansionWon',
    body: () => ({ amount: 3_000_00, description: 'Analytics add-on' }),
    required: ['amount', 'description'], wrongTyped: { amount: -5, description: 404 },
  },
  {
    name: 'close account', method: 'post', path: on('/closure'), status: 201, eventType: 'AccountClosed',
    body: () => ({ reason: 'Acquired by a competitor' }),
    required: ['reason'], wrongTyped: { reason: { why: 'x' } },
  },
];

/** An open account with a contract, an open complaint and an unpaid invoice. */
export async function prepareAccount(api: RunningApi, accountId = freshAccountId()): Promise<string> {
  await api.http().post('/v1/accounts').send(openAccountBody(accountId)).expect(201);
  await api.http().post(`/v1/accounts/${accountId}/complaints`)
    .send({ complaintId: COMPLAINT_ID, severity: 'medium', category: 'support', description: 'Slow answers', occurredAt: '2025-01-10T00:00:00Z' })
    .expect(201);
  await api.http().post(`/v1/accounts/${accountId}/invoices`)
    .send({ invoiceId: INVOICE_ID, amount: 100_000, dueOn: '2025-02-28', occurredAt: '2025-01-15T00:00:00Z' }).expect(201);
  return accountId;
}

export function send(api: RunningApi, route: CommandRouteCase, accountId: string) {
  const path = route.path(accountId);
  return route.method === 'put' ? api.http().put(path) : api.http().post(path);
}
