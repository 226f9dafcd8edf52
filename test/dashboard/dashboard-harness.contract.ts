import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildOnce } from '../support/child-processes';
import type { HealthPage } from './api-types';
import { chromiumIsInstalled, CHROMIUM, launchChromium, openSession } from './browser';
import { DashboardSession } from './dashboard-session';
import { ADMIN_KEY, startDemoApi, type DemoApi } from './demo-api';

export const TEST_MS = 240_000;
const SKIP_REASON = `SKIPPED: ${CHROMIUM} is missing (install Debian's "chromium" package; under CI, where CI is set, this file fails instead)`;
const runs = chromiumIsInstalled() || Boolean(process.env.CI);

/**
 * The dashboard in Debian's Chromium on the demo portfolio, checked against the public API it
 * reads: what the pages show must be what a client of /v1 gets. Screenshots of every page go
 * to artifacts/screenshots/ (look at them).
 */
export function describeDashboard(tests: () => void): void {
  (runs ? describe : describe.skip)(`the dashboard in Chromium on the demo portfolio${runs ? '' : ` — ${SKIP_REASON}`}`, tests);
}

export interface Dashboard {
  api: DemoApi;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  tab: DashboardSession;
  /** The riskiest open account: the first row of the table as it opens, the account tests' subject. */
  openedAccountId: string;
}

/** One API process and one browser for the file; the tests run in order and share the laptop-sized session. */
export function dashboardHarness(): Dashboard {
  const dashboard = {} as Dashboard;

  beforeAll(async () => {
    if (!chromiumIsInstalled()) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (.ci/run does)`);
    buildOnce();
    dashboard.api = await startDemoApi();
    dashboard.browser = await launchChromium();
    Object.assign(dashboard, await openSession(dashboard.browser));
    dashboard.tab = new DashboardSession(dashboard.page, dashboard.api.baseUrl, ADMIN_KEY);
    dashboard.openedAccountId = (await dashboard.api.get<HealthPage>('/v1/health', { status: 'open', sort: '-churnRisk', limit: 1 })).items[0]!.accountId;
  }, 420_000);

  afterAll(async () => {
    // Each is closed whatever the others do, so one failing close leaves no browser or API running;
    // those beforeAll never opened are skipped.
    const closes = [() => dashboard.context?.close(), () => dashboard.browser?.close(), () => dashboard.api?.stop()];
    const failures: unknown[] = [];
    for (const close of closes) {
      try {
        await close();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }, 60_000);

  afterEach(() => {
    // A page that threw is broken even when the asserted numbers happen to be right.
    // pageErrors is there only once beforeAll opened the session; when it did not, its own error is the one to report.
    expect(dashboard.pageErrors?.splice(0) ?? []).toEqual([]);
  });

  return dashboard;
}
