import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, start, waitForOutput, within, type Running } from '../support/child-processes';
import { eventually } from '../support/eventually';

/**
 * The built API process on the embedded store with DEMO=1, as a first `npm start` runs it, and
 * a client of its public API for the browser tests to compare the pages with.
 */
export const ADMIN_KEY = 'dashboard-admin-key';
export const ANALYST_KEY = 'dashboard-analyst-key';

export class ApiAnswerError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly body: string,
    readonly method = 'GET',
  ) {
    super(`${method} ${path} answered ${status}: ${body.slice(0, 300)}`);
  }
}

export interface DemoApi {
  readonly baseUrl: string;
  get<T>(path: string, query?: Record<string, string | number | undefined>, key?: string): Promise<T>;
  getText(path: string, query: Record<string, string | number | undefined>, accept: string): Promise<string>;
  /** A command as a writer sends it; throws unless it is accepted. */
  post<T>(path: string, body: object): Promise<T>;
  stop(): Promise<void>;
}


function pathWith(path: string, query: Record<string, string | number | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}


const RETRY_FOR_MS = 90_000;

/**
 * fetch as a patient client: a 503 or 429 with Retry-After (a backtest refused while the page's
 * own one replays the log) is asked again after the time it names, for RETRY_FOR_MS at most.
 */
async function fetchRetrying(url: string, init: RequestInit): Promise<Response> {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (;;) {
    const response = await fetch(url, init);
    const retryAfter = Number(response.headers.get('retry-after'));
    if (![429, 503].includes(response.status) || !(retryAfter > 0) || Date.now() + retryAfter * 1000 > deadline) return response;
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  }
}

interface Page<T> {
  readonly items: T[];
}

export async function startDemoApi(): Promise<DemoApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ahe-dashboard-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const running: Running = start('api', {
    PORT: String(port),
    HOST: '127.0.0.1',
    DEMO: '1',
    DATA_DIR: dataDir,
    API_KEYS: `admin:${ADMIN_KEY},analyst:${ANALYST_KEY}`,
    SHUTDOWN_TIMEOUT_MS: '5000',
  });

  const get = async <T>(path: string, query?: Record<string, string | number | undefined>, key = ADMIN_KEY): Promise<T> => {
    const url = pathWith(path, query);
    const response = await fetchRetrying(`${baseUrl}${url}`, { headers: { Authorization: `Bearer ${key}` } });
    const body = await response.text();
    if (!response.ok) throw new ApiAnswerError(response.status, url, body);
    return JSON.parse(body) as T;
  };
  const getText = async (path: string, query: Record<string, string | number | undefined>, accept: string): Promise<string> => {
    const url = pathWith(path, query);
    const response = await fetchRetrying(`${baseUrl}${url}`, { headers: { Authorization: `Bearer ${ADMIN_KEY}`, Accept: accept } });
    const body = await response.text();
    if (!response.ok) throw new ApiAnswerError(response.status, url, body);
    return body;
  };
  const post = async <T>(path: string, body: object): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new ApiAnswerError(response.status, path, text, 'POST');
    return JSON.parse(text) as T;
  };
  const stop = async () => {
    if (running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await within(running.exited, 20_000, 'api shutdown').catch(() => running.child.kill('SIGKILL'));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    // Seeding 200 accounts × 3 years happens before the server listens.
    await waitForOutput(running, /"msg":"Listening on /, 240_000);
    await eventually('demo accounts projected', () => get<Page<unknown>>('/v1/health', { limit: 1 }), (page) => page.items.length > 0, 120_000);
    await eventually('demo escalations projected', () => get<Page<unknown>>('/v1/escalations', { status: 'open' }), (page) => page.items.length > 0, 120_000);
    await eventually(
      'projections caught up',
      () => get<{ items: { lag: { events: number } }[] }>('/v1/projections'),
      ({ items }) => items.every((projection) => projection.lag.events === 0),
      120_000,
    );
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\napi output:\n${running.output().slice(-3000)}`);
  }
  return { baseUrl, get, getText, post, stop };
}
