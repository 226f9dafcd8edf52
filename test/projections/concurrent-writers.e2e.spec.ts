import { randomInt } from 'node:crypto';
import { ProjectionEngine } from '@ahe/projections';
import { startApi, type Backend, type RunningApi } from '../api/api-harness';

/**
 * Through HTTP → store → projector → read model: 16 clients write at once to shared accounts,
 * each keeping a ledger of what the server accepted; once the projections have caught up,
 * every account's open complaints and overdue invoices are what the ledgers say.
 */
const CLIENTS = 16;
const ACCOUNTS = 24;
const COMMANDS_PER_CLIENT = 30;
const DAY = 86_400_000;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

interface Ledger {
  readonly openComplaints: Set<string>;
  /** invoiceId → { outstanding, overdue } */
  readonly invoices: Map<string, { outstanding: number; overdue: boolean }>;
}

describe.each<Backend>(['postgres', 'embedded'])('read models under 16 concurrent HTTP writers (%s)', (backend) => {
  let api: RunningApi;
  const ledgers = new Map<string, Ledger>();

  beforeAll(async () => {
    api = await startApi(backend, {}, { roles: ['http', 'projections'] });
    for (let n = 0; n < ACCOUNTS; n++) {
      const accountId = `conc-${n}`;
      await api
        .http()
        .post('/v1/accounts')
        .send({ accountId, name: `Account ${n}`, segment: n % 2 ? 'smb' : 'enterprise', managerId: `mgr-${n % 3}`, currency: 'EUR', occurredAt: new Date(Date.now() - 60 * DAY).toISOString() })
        .expect(201);
      ledgers.set(accountId, { openComplaints: new Set(), invoices: new Map() });
    }
  });
  afterAll(() => api?.close());

  async function oneCommand(client: number, step: number): Promise<void> {
    const accountId = `conc-${randomInt(ACCOUNTS)}`;
    const ledger = ledgers.get(accountId)!;
    const path = `/v1/accounts/${accountId}`;
    const choice = randomInt(5);
    if (choice === 0 || (choice === 1 && ledger.openComplaints.size === 0)) {
      const complaintId = `c-${client}-${step}`;
      const severity = ['low', 'medium', 'high', 'critical'][randomInt(4)];
      await api.http().post(`${path}/complaints`).send({ complaintId, severity, category: 'billing', description: 'late' }).expect(201);
      ledger.openComplaints.add(complaintId);
    } else if (choice === 1) {
      // Claimed before the await, so no two clients resolve the same complaint.
      const complaintId = [...ledger.openComplaints][randomInt(ledger.openComplaints.size)]!;
      ledger.openComplaints.delete(complaintId);
      await api.http().post(`${path}/complaints/${complaintId}/resolution`).send({ resolution: 'refunded' }).expect(201);
    } else if (choice === 2 || (choice >= 3 && ledger.invoices.size === 0)) {
      const invoiceId = `i-${client}-${step}`;
      const overdue = randomInt(2) === 0;
      await api
        .http()
        .post(`${path}/invoices`)
        .send({ invoiceId, amount: 10_000, dueOn: dateIn(overdue ? -10 : 30), occurredAt: new Date(Date.now() - 40 * DAY).toISOString() })
        .expect(201);
      ledger.invoices.set(invoiceId, { outstanding: 10_000, overdue });
    } else {
      const unpaid = [...ledger.invoices].filter(([, invoice]) => invoice.outstanding > 0);
      if (unpaid.length === 0) return;
      const [invoiceId, invoice] = unpaid[randomInt(unpaid.length)]!;
      const amount = choice === 3 ? invoice.outstanding : 2_500;
      invoice.outstanding -= amount;
      await api.http().post(`${path}/invoices/${invoiceId}/payments`).send({ amount }).expect(201);
    }
  }

  it('counts every open complaint and overdue invoice that was written', async () => {
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let step = 0; step < COMMANDS_PER_CLIENT; step++) await oneCommand(client, step);
      }),
    );
    await api.app.get(ProjectionEngine).waitUntilCaughtUp(60_000);

    for (const [accountId, ledger] of ledgers) {
      const { body } = await api.http().get(`/v1/health/${accountId}`).expect(200);
      const overdue = [...ledger.invoices.values()].filter((invoice) => invoice.overdue && invoice.outstanding > 0).length;
      expect({ accountId, openComplaints: body.openComplaints, overdueInvoices: body.overdueInvoices }).toEqual({
        accountId,
        openComplaints: ledger.openComplaints.size,
        overdueInvoices: overdue,
      });
    }
    // The list reads the stored rows, not a re-score: they agree too.
    const { body: page } = await api.http().get('/v1/health?limit=1000&sort=accountId').expect(200);
    expect(page.items).toHaveLength(ACCOUNTS);
    for (const item of page.items) expect(item.openComplaints).toBe(ledgers.get(item.accountId)!.openComplaints.size);
    const written = [...ledgers.values()].reduce((sum, ledger) => sum + ledger.openComplaints.size, 0);
    expect(written).toBeGreaterThan(0);
  });
});
