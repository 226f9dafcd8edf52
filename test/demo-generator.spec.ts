import { createHash } from 'node:crypto';
import { admitEvent, evolve, initialState, type AccountState } from '@ahe/domain';
import { generatePortfolio, portfolioNdjson, type DemoLine } from '@ahe/demo';
import { parseImportLine } from '@ahe/import';

const digest = (lines: Iterable<string>) => {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex');
};

const byAccount = (lines: readonly DemoLine[]) => {
  const accounts = new Map<string, DemoLine[]>();
  for (const line of lines) accounts.set(line.accountId, [...(accounts.get(line.accountId) ?? []), line]);
  return accounts;
};

describe('demo portfolio generator', () => {
  const portfolio = [...generatePortfolio({ accounts: 400, years: 3, seed: 7 })];

  it('is reproducible: the same seed and options give the same bytes, another seed other data', () => {
    const options = { accounts: 30, years: 2, seed: 99 };
    expect(digest(portfolioNdjson(options))).toBe(digest(portfolioNdjson(options)));
    expect(digest(portfolioNdjson({ ...options, seed: 100 }))).not.toBe(digest(portfolioNdjson(options)));
    expect(digest(portfolioNdjson({ ...options, endsAt: '2025-06-01T00:00:00.000Z' }))).not.toBe(digest(portfolioNdjson(options)));
  });

  it('gives account n the same history whatever the number of accounts asked for', () => {
    const few = [...portfolioNdjson({ accounts: 3, years: 2, seed: 5 })];
    const more = [...portfolioNdjson({ accounts: 9, years: 2, seed: 5 })].filter((line) => /"demo-5-000[123]"/.test(line));
    expect(more).toEqual(few);
  });

  it('writes only lines the importer accepts: schemas and every account rule, in line order', () => {
    const now = new Date().toISOString();
    const states = new Map<string, AccountState>();
    portfolio.forEach((line, index) => {
      const parsed = parseImportLine(JSON.stringify(line), index + 1);
      const state = states.get(parsed.accountId) ?? initialState();
      admitEvent(state, parsed.event, { now, occurredAt: parsed.occurredAt, accountId: parsed.accountId });
      states.set(parsed.accountId, evolve(state, { ...parsed.event, occurredAt: parsed.occurredAt }));
    });
    expect(states.size).toBe(400);
    expect(portfolio.every((line) => line.occurredAt < '2026-01-01T00:00:00.000Z')).toBe(true);
  });

  it('holds every kind of history the analytics need', () => {
    const types = new Set(portfolio.map((line) => line.type));
    for (const type of ['AccountOpened', 'AccountManagerAssigned', 'ContactLogged', 'ComplaintRaised', 'ComplaintResolved', 'SatisfactionRecorded',
      'InvoiceIssued', 'InvoicePaid', 'RenewalWon', 'RenewalLost', 'ExpansionWon', 'AccountClosed']) {
      expect(types).toContain(type);
    }
    const opened = portfolio.filter((line) => line.type === 'AccountOpened');
    expect(new Set(opened.map((line) => line.type === 'AccountOpened' && line.data.segment))).toEqual(new Set(['smb', 'mid-market', 'enterprise']));
    const withoutContract = opened.filter((line) => line.type === 'AccountOpened' && !line.data.contract).length;
    expect(withoutContract).toBeGreaterThan(20);
    const raised = portfolio.filter((line) => line.type === 'ComplaintRaised').length;
    const resolved = portfolio.filter((line) => line.type === 'ComplaintResolved').length;
    expect(resolved).toBeLessThan(raised); // some stay open
    const surveys = new Set(portfolio.map((line) => (line.type === 'SatisfactionRecorded' ? line.data.kind : undefined)));
    expect(surveys).toEqual(new Set([undefined, 'csat', 'nps']));
  });

  it('pays some invoices late and some in parts, and resolves some complaints after their SLA', () => {
    let late = 0;
    let partial = 0;
    let lateResolutions = 0;
    for (const lines of byAccount(portfolio).values()) {
      const dueOn = new Map<string, string>();
      const payments = new Map<string, number>();
      const slaDueAt = new Map<string, string>();
      for (const line of lines) {
        if (line.type === 'InvoiceIssued') dueOn.set(line.data.invoiceId, line.data.dueOn);
        if (line.type === 'InvoicePaid') {
          payments.set(line.data.invoiceId, (payments.get(line.data.invoiceId) ?? 0) + 1);
          if (line.occurredAt.slice(0, 10) > dueOn.get(line.data.invoiceId)!) late += 1;
        }
        if (line.type === 'ComplaintRaised') slaDueAt.set(line.data.complaintId, line.data.slaDueAt);
        if (line.type === 'ComplaintResolved' && line.occurredAt > slaDueAt.get(line.data.complaintId)!) lateResolutions += 1;
      }
      partial += [...payments.values()].filter((count) => count > 1).length;
    }
    expect(late).toBeGreaterThan(50);
    expect(partial).toBeGreaterThan(20);
    expect(lateResolutions).toBeGreaterThan(10);
  });

  it('loses renewals more often where complaints and late payments were many in the year before', () => {
    const decisions: { signals: number; lost: boolean }[] = [];
    for (const lines of byAccount(portfolio).values()) {
      for (const decision of lines.filter((line) => line.type === 'RenewalWon' || line.type === 'RenewalLost')) {
        const yearBefore = new Date(Date.parse(decision.occurredAt) - 365 * 86_400_000).toISOString();
        const dueOn = new Map<string, string>();
        let signals = 0;
        for (const line of lines) {
          if (line.occurredAt >= decision.occurredAt) break;
          if (line.type === 'InvoiceIssued') dueOn.set(line.data.invoiceId, line.data.dueOn);
          if (line.occurredAt < yearBefore) continue;
          if (line.type === 'ComplaintRaised') signals += 1;
          if (line.type === 'InvoicePaid' && line.occurredAt.slice(0, 10) > dueOn.get(line.data.invoiceId)!) signals += 1;
        }
        decisions.push({ signals, lost: decision.type === 'RenewalLost' });
      }
    }
    expect(decisions.length).toBeGreaterThan(200);
    decisions.sort((a, b) => a.signals - b.signals);
    const half = Math.floor(decisions.length / 2);
    const lossRate = (group: typeof decisions) => group.filter((decision) => decision.lost).length / group.length;
    const [quiet, troubled] = [lossRate(decisions.slice(0, half)), lossRate(decisions.slice(half))];
    expect(troubled).toBeGreaterThan(quiet + 0.1);
    expect(troubled).toBeGreaterThan(1.5 * quiet);
  });

  it('refuses options that cannot make a portfolio', () => {
    expect(() => [...generatePortfolio({ accounts: 0, years: 1 })]).toThrow('accounts must be');
    expect(() => [...generatePortfolio({ accounts: 1, years: -1 })]).toThrow('years must be');
    expect(() => [...generatePortfolio({ accounts: 1, years: 1, endsAt: 'soon' })]).toThrow('endsAt must be');
  });
});
