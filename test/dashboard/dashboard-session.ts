import type { Page, Request } from 'playwright-core';
import { eventually } from '../support/eventually';
import { byTestId, signIn, tableAccountIds, WAIT_MS } from './browser';

/** The query a page sent to a /v1 route, as a plain object (cursor included). */
export const queryOf = (request: Request) => Object.fromEntries(new URL(request.url()).searchParams);
export const isGet = (route: string) => (request: Request) => request.method() === 'GET' && new URL(request.url()).pathname === route;

/**
 * What `read` settles on: the first value `done` accepts, else (after WAIT_MS) the last one read,
 * so the assertion that follows shows what the page showed instead of a bare timeout.
 */
export function settled<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  return eventually(what, read, done, WAIT_MS).catch(() => read());
}

/** One signed-in tab of the dashboard, with the moves the tests repeat. */
export class DashboardSession {
  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  signIn(): Promise<void> {
    return signIn(this.page, this.baseUrl, this.key);
  }

  /** Signs in unless an earlier test did, so each test fails for its own reason only. */
  async ensureSignedIn(): Promise<void> {
    const signedIn = this.page.url().startsWith(this.baseUrl) && (await this.page.locator(byTestId('key-form')).count()) === 0;
    if (!signedIn) await this.signIn();
    await this.page.locator(byTestId('nav-portfolio')).waitFor();
  }

  /** Opens the portfolio unless it is shown. */
  async showPortfolio(): Promise<void> {
    await this.ensureSignedIn();
    if ((await this.page.locator(byTestId('portfolio-page')).count()) === 0) await this.page.goto(`${this.baseUrl}/#/portfolio`);
    await this.page.locator(byTestId('at-risk-table')).waitFor();
  }

  /** Opens the account's page unless it is the one shown. */
  async showAccount(accountId: string): Promise<void> {
    await this.ensureSignedIn();
    const target = `#/accounts/${accountId}`;
    if (!this.page.url().endsWith(target)) await this.page.goto(`${this.baseUrl}/${target}`);
    await this.page.locator(`${byTestId('account-page')}[data-account-id="${accountId}"]`).waitFor();
  }

  /** The instant the as-of slider stands for: its data-asof, else asof-label's data-at (ISO, or 'now'). */
  async instantShown(): Promise<string> {
    const onSlider = await this.page.locator(byTestId('asof-slider')).getAttribute('data-asof');
    return onSlider ?? (await this.page.locator(byTestId('asof-label')).getAttribute('data-at')) ?? '';
  }

  /** Picks `value` in a filter select and returns the GET /v1/health query the page sent for it. */
  async selectAndCapture(testId: string, value: string): Promise<Record<string, string>> {
    const sent = this.page.waitForRequest(isGet('/v1/health'));
    await this.page.locator(byTestId(testId)).selectOption(value);
    return queryOf(await sent);
  }

  /** The at-risk rows shown once they are `ids` (the table redraws when its request answers). */
  rowsOnceThey(ids: readonly string[]): Promise<string[]> {
    const same = (shown: string[]) => shown.length === ids.length && shown.every((id, index) => id === ids[index]);
    return settled('the at-risk rows', () => tableAccountIds(this.page), same);
  }
}
