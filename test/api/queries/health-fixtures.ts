import type { RunningApi } from '../api-harness';

/**
 * A small portfolio written through the command API, each account shaped to land in a known
 * band under config/scoring-rules.json, with names that test CSV quoting and formula defusing.
 */
export type Profile = 'green' | 'amber' | 'red';

export interface SeededAccount {
  readonly accountId: string;
  readonly name: string;
  readonly segment: string;
  readonly managerId: string;
  readonly profile: Profile;
  readonly openComplaints: number;
  readonly overdueInvoices: number;
  readonly realized: number;
  readonly renewalDate: string | null;
  readonly closed: boolean;
  /** Global position of the account's last event. */
  readonly position: number;
}

export const TRICKY_NAMES = [
  'Acme, "Quoted" & Co',
  '=HYPERLINK("http://evil.example","click")',
  '+Plus Widgets',
  '-Minus Corp',
  '@Mention Ltd',
  'Two\nLines GmbH',
  'Plain Trading',
  'Zeta Holdings',
  'Beta Systems',
  'Gamma; Semicolon',
  '  Spaced  ',
  'Ümlaut Ägypten',
];

const DAY = 86_400_000;
const at = (daysAgo: number, hour = 9): string => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 11) + `${String(hour).padStart(2, '0')}:00:00Z`;
const dateOf = (daysAgo: number): string => at(daysAgo).slice(0, 10);

/** `count` accounts cycling green, amber, red; the last one closed when `closeLast`. */
export async function seedAccounts(api: RunningApi, prefix: string, count = 12, { closeLast = true } = {}): Promise<SeededAccount[]> {
  const seeded: SeededAccount[] = [];
  for (let index = 0; index < count; index++) {
    seeded.push(await seedAccount(api, prefix, index, closeLast && index === count - 1));
  }
  return seeded;
}

async function seedAccount(api: RunningApi, prefix: string, index: number, close: boolean): Promise<SeededAccount> {
  const profile: Profile = (['green', 'amber', 'red'] as const)[index % 3]!;
  const accountId = `${prefix}-a${String(index).padStart(2, '0')}`;
  const path = `/v1/accounts/${accountId}`;
  let position = 0;
  const send = async (method: 'post' | 'put', url: string, body: object) => {
    const response = await api.http()[method](url).send(body);
    if (response.status !== 201) throw new Error(`${method} ${url} → ${response.status}: ${JSON.stringify(response.body)}`);
    position = response.body.position as number;
  };
  const renewalDate = index % 4 === 3 ? null : dateOf(-(120 + index * 17));
  const base = {
    accountId, name: TRICKY_NAMES[index % TRICKY_NAMES.length]!, segment: `${prefix}-${index % 3 === 0 ? 'enterprise' : 'smb'}`,
    managerId: `${prefix}-m${index % 2}`,
  };
  await send('post', '/v1/accounts', {
    ...base, currency: 'EUR', occurredAt: at(400),
    ...(renewalDate ? { contract: { startsOn: dateOf(400), endsOn: renewalDate, annualValue: (index + 1) * 10_000_00 } } : {}),
  });
  // Everyone paid one invoice: realized LTV differs per account.
  const realized = (index + 1) * 1_000_00;
  await send('post', `${path}/invoices`, { invoiceId: 'paid', amount: realized, dueOn: dateOf(300), occurredAt: at(330) });
  await send('post', `${path}/invoices/paid/payments`, { amount: realized, occurredAt: at(310) });
  const facts = profile === 'green' ? await green(send, path, index) : profile === 'amber' ? await amber(send, path, index) : await red(send, path, index);
  if (close) await send('post', `${path}/closure`, { reason: 'Moved to a competitor', occurredAt: at(0, 0) });
  return { ...base, profile, ...facts, realized, renewalDate, closed: close, position };
}

type Send = (method: 'post' | 'put', url: string, body: object) => Promise<void>;
type Facts = { openComplaints: number; overdueInvoices: number };

/** Talked to last week, happy: 0 points. */
async function green(send: Send, path: string, index: number): Promise<Facts> {
  await send('post', `${path}/surveys`, { kind: 'csat', score: 5, occurredAt: at(20) });
  await send('post', `${path}/contacts`, { channel: 'call', direction: 'outbound', summary: 'Check-in', occurredAt: at(3 + index) });
  return { openComplaints: 0, overdueInvoices: 0 };
}

/** Two high complaints (14), no contact for 65+ days (10), lukewarm (4), one invoice 40 days late (3 + 5): 36. */
async function amber(send: Send, path: string, index: number): Promise<Facts> {
  await send('post', `${path}/invoices`, { invoiceId: 'late', amount: 5_000_00, dueOn: dateOf(40), occurredAt: at(80) });
  await send('post', `${path}/contacts`, { channel: 'email', direction: 'inbound', summary: 'Question', occurredAt: at(65 + index) });
  await send('post', `${path}/surveys`, { kind: 'csat', score: 3, occurredAt: at(50) });
  for (const id of ['c1', 'c2']) {
    await send('post', `${path}/complaints`, { complaintId: id, severity: 'high', category: 'support', description: 'Slow answers', occurredAt: at(10), slaDueAt: at(-30) });
  }
  return { openComplaints: 2, overdueInvoices: 1 };
}

/**
 * Three critical complaints past their SLA (18 + 10), silent for 96+ days (15), satisfaction
 * fell from 100 to 0 (12 + 8), three invoices 90 days late (9 + 8): 80.
 */
async function red(send: Send, path: string, index: number): Promise<Facts> {
  await send('post', `${path}/contacts`, { channel: 'call', direction: 'outbound', summary: 'Last call', occurredAt: at(96 + index) });
  for (const id of ['i1', 'i2', 'i3']) {
    await send('post', `${path}/invoices`, { invoiceId: id, amount: 2_000_00, dueOn: dateOf(90), occurredAt: at(95) });
  }
  await send('post', `${path}/surveys`, { kind: 'csat', score: 5, occurredAt: at(60) });
  await send('post', `${path}/surveys`, { kind: 'csat', score: 1, occurredAt: at(5) });
  for (const id of ['c1', 'c2', 'c3']) {
    await send('post', `${path}/complaints`, { complaintId: id, severity: 'critical', category: 'outage', description: 'Down again', occurredAt: at(4), slaDueAt: at(3) });
  }
  return { openComplaints: 3, overdueInvoices: 3 };
}
