import type { BenchRow } from './bench-table';
import { BENCH_KEYS, getOk, startBenchApi } from './api-server';
import { ensureBenchDataset, ensureDatasetFitted, type BenchDataset } from './dataset';
import { alternate, load, type LoadRequest, type LoadResult } from './http-load';
import { figureOf, type Latencies } from './measure';

export interface HttpReadsBenchOptions {
  readonly databaseUrl: string;
  /** The shared data set; ensured here (default size) when not given. */
  readonly dataset?: BenchDataset;
  /** Size of the data set to ensure when none is given (default 100,000; quick 2,000). */
  readonly accounts?: number;
  /** Runs of each route, alternating with the bare route; default 3. */
  readonly runs?: number;
  /** Seconds of load a run; default 5. */
  readonly durationSeconds?: number;
  /**
   * Keep-alive connections, each sending its next request when the last is answered. Default:
   * found per route, the fewest at which the route gives at least 90 % of the highest rate seen
   * over 1, 2, 4, 8 and 16 (its knee). In a closed loop, connections beyond the knee add no
   * throughput, only queueing: mean latency = connections / rate (Little's law), so a fixed 10
   * on a server that saturates at 2 measures the count, not the route.
   */
  readonly connections?: number;
  readonly log?: (line: string) => void;
}

/** Distinct ids the single-row route draws from (a random sample of the data set's accounts). */
const IDS_DRAWN = 20_000;
const BARE: LoadRequest = { method: 'GET', path: '/health/live' };

/**
 * GET /v1/health/:id (random ids of the data set) and the top-50-at-risk list, each against
 * the bare liveness route of the same server in the same run (no auth, no database: the cost of
 * Fastify, Nest and the load generator alone).
 */
export async function httpReadsBench(options: HttpReadsBenchOptions): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataset = options.dataset ?? (await ensureBenchDataset({ databaseUrl: options.databaseUrl, accounts: options.accounts, log }));
  // A data set handed over may have been rebuilt since (the projections line): read a fitted one.
  if (options.dataset) await ensureDatasetFitted(dataset, log);
  const runs = options.runs ?? 3;
  const durationSeconds = options.durationSeconds ?? 5;
  const api = await startBenchApi({ databaseUrl: options.databaseUrl, schema: dataset.schema });
  try {
    const headers = { authorization: `Bearer ${BENCH_KEYS.analyst}` };
    const single: LoadRequest[] = Array.from({ length: Math.min(IDS_DRAWN, dataset.accounts) }, () => ({
      method: 'GET', path: `/v1/health/${dataset.accountId(Math.floor(Math.random() * dataset.accounts))}`,
    }));
    const routes: { figure: string; requests: LoadRequest[]; goalMs: number }[] = [
      { figure: `GET /v1/health/:id (random of ${dataset.accounts.toLocaleString('en')} accounts)`, requests: single, goalMs: 10 },
      { figure: 'GET /v1/health?sort=-churnRisk&limit=50 (top 50 at risk)', requests: [{ method: 'GET', path: '/v1/health?sort=-churnRisk&limit=50' }], goalMs: 20 },
      { figure: 'GET /v1/health?band=red&sort=-churnRisk&limit=50', requests: [{ method: 'GET', path: '/v1/health?band=red&sort=-churnRisk&limit=50' }], goalMs: 20 },
    ];
    for (const request of [single[0]!, ...routes.slice(1).map((route) => route.requests[0]!)]) await getOk(`${api.url}${request.path}`, BENCH_KEYS.analyst);
    const run = (requests: readonly LoadRequest[], connections: number) => () => load({ url: api.url, connections, durationSeconds, requests, headers });
    log(`http reads: warming up…`);
    await alternate(1, routes.map((route) => () => load({ url: api.url, connections: 10, durationSeconds: 1, requests: route.requests, headers })));
    const rows: BenchRow[] = [];
    for (const route of routes) {
      const knee = options.connections === undefined ? await findKnee(route.requests, (connections, requests) => load({ url: api.url, connections, durationSeconds: KNEE_PROBE_SECONDS, requests, headers }), log) : null;
      const connections = options.connections ?? knee!.connections;
      log(`http reads: ${route.figure}, ${connections} connection(s), ${runs} × ${durationSeconds} s against ${BARE.path}…`);
      const [measured, bare] = await alternate(runs, [run(route.requests, connections), run([BARE], connections)]);
      rows.push(readRow(route.figure, route.goalMs, measured!, bare!, { runs, durationSeconds, connections, schema: dataset.schema, knee: knee?.probes ?? null }));
    }
    return rows;
  } finally {
    await api.close();
  }
}

function readRow(
  figure: string, goalMs: number, measured: readonly LoadResult[], bare: readonly LoadResult[],
  sizes: { runs: number; durationSeconds: number; connections: number; schema: string; knee: readonly KneeProbe[] | null },
): BenchRow {
  const failures = measured.reduce((sum, result) => sum + result.failures, 0) + bare.reduce((sum, result) => sum + result.failures, 0);
  const rate = figureOf(measured.map((result) => result.rate));
  const reference = figureOf(bare.map((result) => result.rate));
  const latency = medianLatencies(measured);
  return {
    figure,
    rate,
    unit: 'req/s',
    latency,
    reference: { name: `bare route ${BARE.path} of the same server`, rate: reference, latency: medianLatencies(bare) },
    ratio: rate.median / reference.median,
    goal: `p99 ≤ ${goalMs} ms`,
    met: failures === 0 && latency.p99 <= goalMs,
    // Closed loop: each connection waits for its answer, so the mean latency is connections / rate (Little's law).
    note: `autocannon, ${sizes.connections} connection(s) (closed loop: mean latency = connections / rate = ${(1000 * sizes.connections / rate.median).toFixed(1)} ms), `
      + (sizes.knee ? `the knee of ${sizes.knee.map((probe) => `${probe.connections} → ${Math.round(probe.rate)} req/s p99 ${probe.p99} ms`).join(', ')}; ` : '')
      + `median of ${sizes.runs} × ${sizes.durationSeconds} s (p99 per run ${measured.map((result) => result.latency.p99).join('/')} ms); schema ${sizes.schema}`
      + (failures > 0 ? `; ${failures} non-2xx or failed requests` : ''),
  };
}

const KNEE_CONNECTIONS = [1, 2, 4, 8, 16] as const;
const KNEE_PROBE_SECONDS = 2;
/** A count whose rate is at least this share of the best is saturating the server. */
const KNEE_SHARE = 0.9;

interface KneeProbe {
  readonly connections: number;
  readonly rate: number;
  readonly p99: number;
}

/** The fewest connections giving at least 90 % of the best rate seen: the server's saturation point for this route. */
async function findKnee(
  requests: readonly LoadRequest[], probe: (connections: number, requests: readonly LoadRequest[]) => Promise<LoadResult>, log: (line: string) => void,
): Promise<{ connections: number; probes: KneeProbe[] }> {
  const probes: KneeProbe[] = [];
  for (const connections of KNEE_CONNECTIONS) {
    const result = await probe(connections, requests);
    probes.push({ connections, rate: result.rate, p99: result.latency.p99 });
  }
  const best = Math.max(...probes.map((found) => found.rate));
  const knee = probes.find((found) => found.rate >= KNEE_SHARE * best)!;
  log(`http reads: knee at ${knee.connections} connection(s) (${probes.map((found) => `${found.connections}: ${Math.round(found.rate)} req/s`).join(', ')})`);
  return { connections: knee.connections, probes };
}

/** Median p50 and p99 over runs, the worst max, the total count. */
export function medianLatencies(results: readonly { readonly latency: Latencies }[]): Latencies {
  return {
    count: results.reduce((sum, result) => sum + result.latency.count, 0),
    p50: figureOf(results.map((result) => result.latency.p50)).median,
    p99: figureOf(results.map((result) => result.latency.p99)).median,
    max: Math.max(...results.map((result) => result.latency.max)),
  };
}
