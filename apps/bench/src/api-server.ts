import { performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, loadConfig } from '@ahe/platform';
import { AppModule, type AppRole } from '../../api/src/app.module';
import { LtvIndexWarmUp } from '../../api/src/audit/as-of/ltv-index-warm-up';
import { targetEnv, type StoreTarget } from './store-target';

/**
 * The real API in this process, as apps/api/src/main.ts builds it, on a store the caller
 * chooses and keeps (close() leaves the data). Logging at warn and a rate limit no benchmark
 * reaches, so the figures are the engine's, not the logger's or the limiter's 429s.
 */
export interface BenchApi {
  readonly url: string;
  readonly app: NestFastifyApplication;
  /** How long the background build of the as-of LTV index took after listen (waited for). */
  readonly warmUpMs: number;
  close(): Promise<void>;
}

export interface BenchApiOptions {
  /** The store the API serves: a PostgreSQL schema, or an embedded data folder (which it opens, so nothing else may hold it open). */
  readonly store: StoreTarget;
  readonly roles?: readonly AppRole[];
  /** Extra environment, e.g. API_KEYS. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Build the as-of LTV index in the background once listening, and wait for it (AS_OF_WARM_UP),
   * which the as-of lines measure. Off by default, as in a production API process, which holds
   * the index only after an as-of request: at a million events it keeps about 200 MiB of small
   * objects in the heap, where every collection pays for it (under GET /v1/health/:id at 924
   * req/s, 2-2.6 × the time in scavenges, each 4-6 ms instead of 2-3 ms).
   */
  readonly asOfWarmUp?: boolean;
}

/** Keys of the benchmarks' API: an analyst reads health rows, an auditor reads them as of an instant. */
export const BENCH_KEYS = { writer: 'bench-writer-key-0123', analyst: 'bench-analyst-key-0123', auditor: 'bench-auditor-key-0123' } as const;
export const BENCH_API_KEYS = Object.entries(BENCH_KEYS).map(([role, key]) => `${role}:${key}`).join(',');

export async function startBenchApi(options: BenchApiOptions): Promise<BenchApi> {
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    ...targetEnv(options.store),
    RATE_LIMIT_PER_MINUTE: String(1e12),
    API_KEYS: BENCH_API_KEYS,
    AS_OF_WARM_UP: String(options.asOfWarmUp ?? false),
    ...options.env,
  });
  const app = await createHttpApp(AppModule.forRoot({ config, roles: options.roles ?? ['http'] }), config);
  try {
    await app.listen(0, '127.0.0.1');
    const listening = performance.now();
    // The API reads the log into its as-of LTV index in the background once it listens (seconds
    // of CPU at a million events, in this process): the figures are of the steady state after it.
    await app.get(LtvIndexWarmUp, { strict: false }).settled;
    const warmUpMs = performance.now() - listening;
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return { url, app, warmUpMs, close: () => app.close() };
  } catch (error) {
    // Closed before the caller drops its store: an embedded folder must not be removed while open.
    await app.close().catch(() => undefined);
    throw error;
  }
}

/** A GET that must answer 200, for warming up and checking a route before it is loaded. */
export async function getOk(url: string, key?: string): Promise<unknown> {
  const response = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}
