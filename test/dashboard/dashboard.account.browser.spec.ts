import type { Browser, Page } from 'playwright-core';
import type { Escalation, HealthRow, HistoryAnswer } from './api-types';
import { byTestId, chartDrawn, numberIn, openSession, PHONE, screenshot, signIn, WAIT_MS } from './browser';
import { dashboardHarness, describeDashboard, TEST_MS } from './dashboard-harness.contract';
import { isGet, queryOf, settled, type DashboardSession } from './dashboard-session';
import { eventually } from '../support/eventually';
import { ADMIN_KEY, ANALYST_KEY, type DemoApi } from './demo-api';

describeDashboard(() => {
  const dashboard = dashboardHarness();
  let api: DemoApi;
  let browser: Browser;
  let page: Page;
  let tab: DashboardSession;
  let openedAccountId: string;
  beforeAll(() => void ({ api, browser, page, tab, openedAccountId } = dashboard));

  it('opens an account from the table: the API churn score, factor points adding up to it, charts drawn', async () => {
    await tab.showPortfolio();
    await page.locator(`${byTestId('at-risk-row')}[data-account-id="${openedAccountId}"]`).click();
    await page.locator(`${byTestId('account-page')}[data-account-id="${openedAccountId}"]`).waitFor();
    await page.locator(byTestId('churn-score')).waitFor();

    const live = await api.get<HealthRow>(`/v1/health/${openedAccountId}`);
    expect(await numberIn(page, byTestId('churn-score'))).toBe(live.churnRisk);
    expect((await page.locator(byTestId('account-band')).innerText()).toLowerCase()).toContain(live.band);

    // The scorecard's rule: the factors' points add up to churnRisk exactly (no clamping).
    const factorRows = page.locator(byTestId('factor-row'));
    const shownFactors = await factorRows.evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-factor'), Number(row.getAttribute('data-points'))]));
    const byName = (pairs: unknown[][]) => Object.fromEntries(pairs.map(([name, points]) => [String(name), Number(points)]));
    expect(byName(shownFactors)).toEqual(byName(live.factors.map((factor) => [factor.name, factor.points])));
    expect(shownFactors.reduce((sum, [, points]) => sum + Number(points), 0)).toBe(live.churnRisk);
    for (const factor of live.factors) {
      expect(await page.locator(`${byTestId('factor-row')}[data-factor="${factor.name}"]`).innerText()).toContain(String(factor.points));
    }

    // The previous score: the last day with events before the one scored, and the move since.
    const day = (daysBefore: number) => new Date(Date.parse(`${live.scoredAt.slice(0, 10)}T00:00:00Z`) - daysBefore * 86_400_000).toISOString().slice(0, 10);
    const earlier = await api.get<HistoryAnswer>(`/v1/health/${openedAccountId}/history?interval=day&from=${day(730)}&to=${day(1)}`);
    const previous = earlier.items.at(-1)!;
    expect(previous).toBeDefined();
    const change = page.locator(byTestId('score-change'));
    await change.waitFor();
    expect([await change.getAttribute('data-previous'), await change.getAttribute('data-since')]).toEqual([String(previous.churnRisk), previous.period]);
    const direction = live.churnRisk > previous.churnRisk ? 'up' : live.churnRisk < previous.churnRisk ? 'down' : 'flat';
    expect(await change.getAttribute('data-direction')).toBe(direction);

    for (const chart of ['factor-breakdown', 'score-history', 'satisfaction-history']) await chartDrawn(page, chart);
    if (live.satisfaction.arrow) expect(await page.locator(byTestId('trend-arrow')).getAttribute('data-arrow')).toBe(live.satisfaction.arrow);
    const verify = await api.get<{ ok: boolean }>(`/v1/accounts/${openedAccountId}/verify`);
    await page.locator(`${byTestId('chain-status')}[data-ok="${verify.ok}"]`).waitFor();
    await screenshot(page, 'account');
  }, TEST_MS);

  it('draws each week\'s and month\'s score at the last day of its bucket, the day its value is from', async () => {
    await tab.showAccount(openedAccountId);
    const route = `/v1/health/${openedAccountId}/history`;
    // The page opens on weeks: months first, so both ranges send a request.
    for (const [range, interval] of [['all', 'month'], ['1y', 'week']] as const) {
      const sent = page.waitForRequest((request) => isGet(route)(request) && queryOf(request).interval === interval);
      await page.locator(byTestId(`history-range-${range}`)).click();
      const history = await api.get<HistoryAnswer>(route, queryOf(await sent));
      expect(history.items.length).toBeGreaterThan(1);
      const lastDays = history.items.map((point) => lastDayOf(point.period, interval));
      const drawn = await settled('the score history redrawn', () => daysDrawn(page), (days) => days.join() === lastDays.join());
      expect(drawn).toEqual(lastDays);
    }
  }, TEST_MS);

  it('moves the as-of slider to an early date and shows the score GET /v1/health/:id?asOf= answers', async () => {
    await tab.showAccount(openedAccountId);
    const live = await api.get<HealthRow>(`/v1/health/${openedAccountId}`);
    const slider = page.locator(byTestId('asof-slider'));
    // Enabled once the page knows the key may audit and has the account's events to stop at.
    await page.locator(`${byTestId('asof-slider')}:not([disabled])`).waitFor();
    const [min, max] = [Number(await slider.getAttribute('min')), Number(await slider.getAttribute('max'))];
    expect(max).toBeGreaterThan(min);
    const axis = page.locator(byTestId('asof-axis'));
    if ((await axis.inputValue()) !== 'occurred') await axis.selectOption('occurred');

    // An early date whose score differs from today's, so the redraw is visible.
    let asOf = '';
    let past: HealthRow | undefined;
    for (const share of [0.1, 0.25, 0.4, 0.55, 0.05]) {
      const before = await tab.instantShown();
      await slider.fill(String(Math.round(min + (max - min) * share)));
      asOf = await eventually('the slider names its instant', () => tab.instantShown(), (value) => /^\d{4}-/.test(value) && value !== before, WAIT_MS);
      past = await api.get<HealthRow>(`/v1/health/${openedAccountId}`, { asOf, axis: 'occurred' });
      if (past.churnRisk !== live.churnRisk) break;
    }
    expect(past!.churnRisk).not.toBe(live.churnRisk);
    const settledScore = page.locator(`${byTestId('asof-score')}:not([data-loading="true"])`);
    const readScore = () => settledScore.innerText({ timeout: WAIT_MS }).then(Number);
    const shown = await settled('asof-score redrawn', readScore, (score) => score === past!.churnRisk);
    expect({ asOf, score: shown }).toEqual({ asOf, score: past!.churnRisk });
    expect((await page.locator(byTestId('asof-label')).innerText()).trim()).not.toBe('');
    await screenshot(page, 'account-asof');
  }, TEST_MS);

  it('acknowledges an open escalation from its account page, and the API agrees', async () => {
    await tab.ensureSignedIn();
    const open = await api.get<{ items: Escalation[] }>('/v1/escalations', { status: 'open' });
    const escalation = open.items.find((item) => item.accountId !== openedAccountId) ?? open.items[0]!;
    await page.locator(byTestId('account-search')).fill(escalation.accountId);
    await page.locator(byTestId('account-search')).press('Enter');
    await page.locator(`${byTestId('account-page')}[data-account-id="${escalation.accountId}"]`).waitFor();

    const row = page.locator(`${byTestId('escalation-row')}[data-escalation-id="${escalation.escalationId}"]`);
    await page.locator(`${byTestId('escalation-row')}[data-escalation-id="${escalation.escalationId}"][data-status="open"]`).waitFor();
    await row.locator(byTestId('ack-button')).click();
    await page.locator(`${byTestId('escalation-row')}[data-escalation-id="${escalation.escalationId}"][data-status="acknowledged"]`).waitFor();

    const stored = await eventually('the API shows it acknowledged', () => api.get<Escalation>(`/v1/escalations/${escalation.escalationId}`), (item) => item.status !== 'open');
    expect(stored).toMatchObject({ status: 'acknowledged', acknowledgedBy: expect.stringMatching(/^admin:/) });
  }, TEST_MS);

  it('reads on a phone: no sideways page scroll on the portfolio and account pages', async () => {
    const phone = await openSession(browser, PHONE);
    try {
      await signIn(phone.page, api.baseUrl, ADMIN_KEY);
      await phone.page.locator(byTestId('portfolio-page')).waitFor();
      await chartDrawn(phone.page, 'portfolio-by-manager');
      await phone.page.locator(byTestId('at-risk-row')).first().waitFor();
      expect(await pageWidth(phone.page)).toBeLessThanOrEqual(PHONE.width + 1);
      await screenshot(phone.page, 'phone-portfolio');

      await phone.page.goto(`${api.baseUrl}/#/accounts/${openedAccountId}`);
      await phone.page.locator(byTestId('churn-score')).waitFor();
      await chartDrawn(phone.page, 'score-history');
      expect(await pageWidth(phone.page)).toBeLessThanOrEqual(PHONE.width + 1);
      await screenshot(phone.page, 'phone-account');
      expect(phone.pageErrors).toEqual([]);
    } finally {
      await phone.context.close();
    }
  }, TEST_MS);

  it('shows an analyst the scorecard but not the auditor-only as-of slider', async () => {
    const analyst = await openSession(browser);
    try {
      await signIn(analyst.page, api.baseUrl, ANALYST_KEY);
      await analyst.page.goto(`${api.baseUrl}/#/accounts/${openedAccountId}`);
      const live = await api.get<HealthRow>(`/v1/health/${openedAccountId}`, {}, ANALYST_KEY);
      await analyst.page.locator(byTestId('churn-score')).waitFor();
      expect(await numberIn(analyst.page, byTestId('churn-score'))).toBe(live.churnRisk);
      await chartDrawn(analyst.page, 'score-history');
      const slider = analyst.page.locator(byTestId('asof-slider'));
      expect((await slider.count()) === 0 || (await slider.isDisabled())).toBe(true);
      await screenshot(analyst.page, 'account-analyst');
      expect(analyst.pageErrors).toEqual([]);
    } finally {
      await analyst.context.close();
    }
  }, TEST_MS);
});

const pageWidth = (page: Page) => page.evaluate<number>('document.scrollingElement.scrollWidth');

/** The days the score-history chart draws its points at, the live point left out (read from its ECharts instance). */
const daysDrawn = (page: Page) =>
  page.evaluate<string[]>(`import('/assets/vendor/echarts/echarts.esm.min.mjs').then((echarts) => {
    const chart = echarts.getInstanceByDom(document.querySelector('${byTestId('score-history')}'));
    return (chart?.getOption().series[0].data ?? []).slice(0, -1).map((point) => String(point[0]));
  })`);

/** The last day of the week (from its Monday) or month that starts on `period`, today for the one still running. */
function lastDayOf(period: string, interval: 'week' | 'month'): string {
  const start = new Date(`${period}T00:00:00Z`);
  const end = interval === 'week'
    ? new Date(start.getTime() + 6 * 86_400_000)
    : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
  const today = new Date().toISOString().slice(0, 10);
  const day = end.toISOString().slice(0, 10);
  return day < today ? day : today;
}
