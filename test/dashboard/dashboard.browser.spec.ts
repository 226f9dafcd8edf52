import type { Page } from 'playwright-core';
import { ANNUAL_VALUE, moneyText, openAccountClosedLongAgo, openRedAccount, PAID_INVOICE, projectionsCaughtUp } from './account-fixtures';
import { BANDS, type Band, type BacktestAnswer, type HealthPage, type HealthRow, type PortfolioAnswer } from './api-types';
import { byTestId, chartDrawn, csvColumn, downloadedText, numberIn, parseCsv, screenshot } from './browser';
import { dashboardHarness, describeDashboard, TEST_MS } from './dashboard-harness.contract';
import { isGet, queryOf, settled, type DashboardSession } from './dashboard-session';
import type { DemoApi } from './demo-api';

describeDashboard(() => {
  const dashboard = dashboardHarness();
  let api: DemoApi;
  let page: Page;
  let tab: DashboardSession;
  let redAccounts: HealthRow[];
  let closedLongAgo: { accountId: string; openedOn: string };
  beforeAll(async () => {
    ({ api, page, tab } = dashboard);
    // Yen have no minor unit and the Bahraini dinar has 1,000 fils: neither is counted in cents.
    redAccounts = [await openRedAccount(api, 'red-in-jpy', 'JPY'), await openRedAccount(api, 'red-in-bhd', 'BHD')];
    closedLongAgo = { accountId: 'closed-long-ago', ...(await openAccountClosedLongAgo(api, 'closed-long-ago')) };
    await projectionsCaughtUp(api);
  }, 180_000);

  const expectRows = async (ids: string[]) => expect(await tab.rowsOnceThey(ids)).toEqual(ids);
  const health = (query: Record<string, string | number | undefined>) => api.get<HealthPage>('/v1/health', query);

  it('asks for the key, then shows the portfolio with the API band counts and its charts drawn', async () => {
    await tab.signIn();
    await page.locator(byTestId('portfolio-page')).waitFor();

    const portfolio = await api.get<PortfolioAnswer>('/v1/portfolio', { groupBy: 'manager' });
    const expected = Object.fromEntries(BANDS.map((band) => [band, portfolio.items.reduce((sum, item) => sum + item.bands[band], 0)]));
    const bandCounts = async () => Object.fromEntries(await Promise.all(BANDS.map(async (band) => [band, await numberIn(page, byTestId(`band-count-${band}`))])));
    expect(await settled('band counts shown', bandCounts, (counts) => BANDS.every((band) => counts[band] === expected[band]))).toEqual(expected);

    await chartDrawn(page, 'portfolio-by-manager');
    await chartDrawn(page, 'portfolio-by-segment');
    // Amounts never mix currencies: each card shows every currency's sum, as en-US money.
    for (const [testId, field] of [['revenue-at-risk', 'revenueAtRisk'], ['expected-ltv', 'expectedLtv']] as const) {
      const text = await page.locator(byTestId(testId)).innerText();
      for (const [currency, minorUnits] of sumsByCurrency(portfolio, field)) expect(text).toContain(moneyText(minorUnits, currency));
    }
    expect(await page.locator(byTestId('at-risk-row')).count()).toBeGreaterThan(0);
    await screenshot(page, 'portfolio');
  }, TEST_MS);

  it('shows money in each currency\'s own minor units: the red JPY and BHD accounts on the portfolio and their pages', async () => {
    expect([moneyText(ANNUAL_VALUE, 'JPY'), moneyText(ANNUAL_VALUE, 'BHD').replace(/\s/g, ' ')]).toEqual(['¥1,200,000', 'BHD 1,200']);
    await tab.showPortfolio();
    const atRisk = await page.locator(byTestId('revenue-at-risk')).innerText();
    for (const { ltv } of redAccounts) expect(atRisk).toContain(moneyText(ANNUAL_VALUE, ltv.currency));

    for (const { accountId, ltv: { currency } } of redAccounts) {
      await tab.showAccount(accountId);
      const paidInvoice = page.locator(`${byTestId('timeline-event')}[data-type="InvoiceIssued"]`, { hasText: PAID_INVOICE.invoiceId });
      expect(await paidInvoice.innerText()).toContain(`amount: ${moneyText(PAID_INVOICE.amount, currency)}`);
      const { ltv } = await api.get<HealthRow>(`/v1/health/${accountId}`);
      expect(await page.locator(byTestId('ltv-realized')).innerText()).toBe(moneyText(ltv.realized, currency));
    }
  }, TEST_MS);

  it('counts in the revenue-at-risk caption only the red accounts billed in the currency of the figure', async () => {
    await tab.showPortfolio();
    const portfolio = await api.get<PortfolioAnswer>('/v1/portfolio', { groupBy: 'manager' });
    const counted = page.locator(byTestId('revenue-at-risk-accounts'));
    const currency = await counted.getAttribute('data-currency');
    const redIn = (code: string | null) => portfolio.items.filter((item) => item.currency === code).reduce((sum, item) => sum + item.bands.red, 0);
    // The red JPY and BHD accounts are not in the figure's currency, the demo's largest.
    expect(redAccounts.map((row) => row.ltv.currency)).not.toContain(currency);
    expect(redIn('JPY') + redIn('BHD')).toBe(2);
    expect(await numberIn(page, byTestId('revenue-at-risk-accounts'))).toBe(redIn(currency));
  }, TEST_MS);

  it('filters the at-risk table by band and manager, as GET /v1/health answers, and downloads that CSV', async () => {
    await tab.showPortfolio();
    // The demo has no red account today: filter by the worst band that has accounts.
    const band = await worstBandWithAccounts();
    const byBand = await tab.selectAndCapture('filter-band', band);
    expect(byBand).toMatchObject({ band, sort: '-churnRisk' });
    const bandRows = await health({ ...byBand, cursor: undefined });
    expect(bandRows.items.length).toBeGreaterThan(0);
    expect(bandRows.items.every((row) => row.band === band)).toBe(true);
    await expectRows(bandRows.items.map((row) => row.accountId));
    const bandsShown = await page.locator(byTestId('at-risk-row')).evaluateAll((rows) => rows.map((row) => row.querySelector('[data-band]')?.getAttribute('data-band')));
    expect(bandsShown).toEqual(bandRows.items.map(() => band));
    await screenshot(page, 'portfolio-filtered');

    const managerId = busiestManager(bandRows.items);
    const byManager = await tab.selectAndCapture('filter-manager', managerId);
    expect(byManager).toMatchObject({ band, managerId, sort: '-churnRisk' });
    const managerRows = await health({ ...byManager, cursor: undefined });
    expect(managerRows.items.map((row) => [row.band, row.managerId])).toEqual(managerRows.items.map(() => [band, managerId]));
    await expectRows(managerRows.items.map((row) => row.accountId));

    const download = page.waitForEvent('download');
    await page.locator(byTestId('csv-download')).click();
    const csv = parseCsv(await downloadedText(await download));
    const apiCsv = parseCsv(await api.getText('/v1/health', { ...byManager, cursor: undefined, limit: 1000 }, 'text/csv'));
    expect(csv[0]).toEqual(apiCsv[0]);
    expect(csvColumn(csv, 'accountId')).toEqual(csvColumn(apiCsv, 'accountId'));
    expect(csvColumn(csv, 'band').every((cell) => cell === band)).toBe(true);
  }, TEST_MS);

  it('pages the table with the API cursors: next page, then back', async () => {
    await tab.ensureSignedIn();
    // A fresh load of the portfolio shows the table's default query, whatever an earlier test filtered.
    await page.goto(`${api.baseUrl}/#/portfolio`);
    const firstRequest = page.waitForRequest(isGet('/v1/health'));
    await page.reload();
    const firstQuery = queryOf(await firstRequest);
    expect(firstQuery).toMatchObject({ sort: '-churnRisk' });
    const first = await health({ ...firstQuery, cursor: undefined });
    await expectRows(first.items.map((row) => row.accountId));
    expect(first.nextCursor).not.toBeNull();

    const nextRequest = page.waitForRequest(isGet('/v1/health'));
    await page.locator(byTestId('next-page')).click();
    const nextQuery = queryOf(await nextRequest);
    expect(nextQuery.cursor).toBe(first.nextCursor);
    const second = await health(nextQuery);
    await expectRows(second.items.map((row) => row.accountId));

    await page.locator(byTestId('prev-page')).click();
    await expectRows(first.items.map((row) => row.accountId));
  }, TEST_MS);

  it('runs the backtest for a chosen as-of date and horizon: ROC, lift, calibration drawn, the API AUC', async () => {
    await tab.ensureSignedIn();
    await page.locator(byTestId('nav-models')).click();
    await page.locator(byTestId('models-page')).waitFor();
    await page.locator(byTestId('ltv-models')).waitFor();

    const horizonDays = '180';
    const asOf = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    await page.locator(byTestId('horizon-days')).selectOption(horizonDays);
    await page.locator(byTestId('asof-date')).fill(asOf);
    const sent = page.waitForRequest((request) => isGet('/v1/analytics/backtest')(request) && queryOf(request).horizonDays === horizonDays);
    await page.locator(byTestId('run-backtest')).click();
    const query = queryOf(await sent);
    expect(query).toMatchObject({ asOf, horizonDays });

    const backtest = await api.get<BacktestAnswer>('/v1/analytics/backtest', query);
    expect(backtest.auc).not.toBeNull();
    // Shown with three decimals ('0.634'): the first decimal number in the element.
    const aucShown = () => page.locator(byTestId('auc-value')).innerText().then((text) => Number(/\d+\.\d+/.exec(text)?.[0]));
    const auc = await settled('auc-value shown', aucShown, (value) => Math.abs(value - backtest.auc!) < 0.0005);
    expect(auc).toBeCloseTo(backtest.auc!, 3);
    for (const chart of ['roc-chart', 'lift-chart', 'calibration-chart']) await chartDrawn(page, chart);
    await screenshot(page, 'models');
  }, TEST_MS);

  it('says a backtest scored nobody because the only account then was closed, not that none was open', async () => {
    await tab.ensureSignedIn();
    const asOf = new Date(Date.parse(closedLongAgo.openedOn) + 10 * 86_400_000).toISOString().slice(0, 10);
    const backtest = await api.get<BacktestAnswer>('/v1/analytics/backtest', { asOf, horizonDays: 30 });
    expect(backtest).toMatchObject({ accounts: 0, excluded: { closed: 1, renewalLost: 0 } });
    await page.goto(`${api.baseUrl}/#/models?asOf=${asOf}&horizonDays=30`);
    const why = await page.locator(`${byTestId('backtest')}[aria-busy="false"] .empty`).innerText();
    expect(why).toContain('1 closed');
    expect(why).not.toContain('No account was open');
  }, TEST_MS);

  async function worstBandWithAccounts(): Promise<Band> {
    // Open accounts: the table's default shows only those.
    for (const band of ['red', 'amber'] as const) if ((await health({ band, status: 'open', limit: 1 })).items.length > 0) return band;
    return 'green';
  }
});

function busiestManager(rows: readonly HealthRow[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.managerId, (counts.get(row.managerId) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}

function sumsByCurrency(portfolio: PortfolioAnswer, field: 'revenueAtRisk' | 'expectedLtv'): Map<string, number> {
  const sums = new Map<string, number>();
  for (const item of portfolio.items) sums.set(item.currency, (sums.get(item.currency) ?? 0) + item[field]);
  return sums;
}
