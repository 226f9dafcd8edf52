import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';
import { ROOT } from '../support/child-processes';

/** Debian's Chromium, driven by playwright-core (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'artifacts', 'screenshots');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const LAPTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };
/** Generous: two cores are shared by several processes. */
export const WAIT_MS = 45_000;

export const chromiumIsInstalled = () => existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 120_000 });
}

/**
 * A fresh browser session (its own sessionStorage, hence no key yet), in a fixed locale and
 * zone so numbers and dates read the same on every machine. Uncaught page errors are kept so
 * a test can show them.
 */
export async function openSession(browser: Browser, viewport = LAPTOP): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const phone = viewport.width < 700;
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC', acceptDownloads: true, isMobile: phone, hasTouch: phone });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // An acknowledgement may ask for a note or a confirmation: accept it as a user would.
  page.on('dialog', (dialog) => void dialog.accept());
  return { context, page, pageErrors };
}

export const byTestId = (testId: string) => `[data-testid="${testId}"]`;

export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  const response = await page.goto(`${baseUrl}/`);
  if (!response?.ok()) throw new Error(`GET / answered ${response?.status()}: the API does not serve the dashboard`);
  await page.locator(byTestId('key-form')).waitFor();
  await page.locator(byTestId('key-input')).fill(key);
  await page.locator(byTestId('key-submit')).click();
}

/** Waits until the ECharts chart under `testId` has finished drawing. */
export async function chartDrawn(page: Page, testId: string): Promise<void> {
  await page.locator(`${byTestId(testId)}[data-rendered="true"]`).waitFor();
}

/** The first number in an element's text ('1,234' → 1234, '−12' → -12). */
export async function numberIn(page: Page, selector: string): Promise<number> {
  return numberOf(await page.locator(selector).first().innerText());
}

export function numberOf(text: string): number {
  const match = /[-−]?\d[\d,]*(\.\d+)?/.exec(text);
  if (!match) throw new Error(`no number in "${text}"`);
  return Number(match[0].replace(/,/g, '').replace('−', '-'));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // From the top: a sticky top bar would otherwise be drawn across the middle of a full-page shot.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The account ids of the at-risk table's rows, in the order shown. */
export async function tableAccountIds(page: Page): Promise<string[]> {
  return page.locator(byTestId('at-risk-row')).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-account-id') ?? ''));
}

export function downloadedText(download: Download): Promise<string> {
  return download.path().then((path) => readFileSync(path, 'utf8'));
}

/** RFC 4180 rows (quoted cells, "" inside quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') (cell += '"'), index++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') row.push(cell), (cell = '');
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}

/** The values of one column, by its header name. */
export function csvColumn(rows: string[][], name: string): string[] {
  const index = rows[0]?.indexOf(name) ?? -1;
  if (index < 0) throw new Error(`the CSV has no "${name}" column; header: ${rows[0]?.join(',')}`);
  return rows.slice(1).map((row) => row[index]!);
}
