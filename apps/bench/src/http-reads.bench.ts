import { type BenchRow, goalOf, reaches } from './bench-table';
import { BENCH_KEYS, getOk, startBenchApi } from './api-server';
import { ensureBenchDataset, ensureDatasetFitted, type BenchDataset } from './dataset';
import { alternate, LoadClient, type LoadRequest, type LoadResult, type OpenLoopResult } from './http-load';
import { failuresNote } from './line-notes';
import { figureOf, formatCount, medianLatencies, type Figure, type Latencies } from './measure';
import { clientScavenges, cpuPerRequest, type RunCpu } from './run-cpu';
import { whereOf, type EmbeddedChoice } from './store-target';

export interface HttpReadsBenchOptions {
  readonly databaseUrl: string;
  /** The shared data set; ensured here (default size) when not given. */
  readonly dataset?: BenchDataset;
  /** Size of the data set to ensure when none is given (default 100,000; quick 2,000). */
  readonly accounts?: number;
  /** Where the data set to ensure when none is given is kept: PostgreSQL (false, the default) or the embedded store. */
  readonly embedded?: EmbeddedChoice;
  /** Runs of each route and load, alternating with the bare route; default 3. */
  readonly runs?: number;
  /** Seconds of load a run; default 5. */
  readonly durationSeconds?: number;
  /** Keep-alive connections of the closed-loop runs that measure the highest rate; default 16. */
  readonly connections?: number;
  /** Requests a second offered in the open-loop runs that measure latency; default a share of each route's highest rate. */
  readonly offeredRate?: number;
  /** That share when no rate is given; default 0.5. */
  readonly loadShare?: number;
  readonly log?: (line: string) => void;
}

/** Distinct ids the single-row route draws from (a random sample of the data set's accounts). */
const IDS_DRAWN = 20_000;
const BARE: LoadRequest = { method: 'GET', path: '/health/live' };
/** The bare route as a request list: one array for every run, so the load client is sent it once. */
const BARE_REQUESTS: readonly LoadRequest[] = [BARE];
/** Connections the open-loop client may open; a request due while all are busy waits, and the wait counts. */
const OPEN_LOOP_CONNECTIONS = 64;
/** An untimed open-loop run of each route at its offered rate before the timed ones. */
const OPEN_LOOP_WARM_UP_SECONDS = 1;
/** An untimed closed-loop run of every route before anything is timed: its connections and seconds. */
const CLOSED_LOOP_WARM_UP = { connections: 10, seconds: 1 } as const;

/**
 * GET /v1/health/:id (random ids of the data set) and the top-50-at-risk lists, each against
 * the bare liveness route of the same server in the same run (no auth, no database: the cost of
 * Fastify, Nest and the load generator alone). Two measurements a route: its highest rate, in a
 * closed loop (each connection sends when answered); and its latency under load, in an open
 * loop at a stated rate (requests on a fixed timetable, each timed from when it was due). A
 * closed loop's latency is set by its connection count (mean latency = connections / rate), so
 * it says nothing about a route at a given load.
 */
export async function httpReadsBench(options: HttpReadsBenchOptions): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataset = options.dataset ?? (await ensureBenchDataset({ databaseUrl: options.databaseUrl, accounts: options.accounts, embedded: options.embedded, log }));
  // A data set handed over may have been rebuilt since (the projections line): read a fitted one.
  if (options.dataset) await ensureDatasetFitted(dataset, log);
  const runs = options.runs ?? 3;
  const durationSeconds = options.durationSeconds ?? 5;
  const connections = options.connections ?? 16;
  const loadShare = options.loadShare ?? 0.5;
  // As a production API starts, without the as-of index (api-server.ts), which would double its GC under this load.
  const api = await startBenchApi({ store: dataset.target });
  const where = whereOf(dataset.target);
  const client = await LoadClient.start();
  try {
    const headers = { authorization: `Bearer ${BENCH_KEYS.analyst}` };
    const single: LoadRequest[] = Array.from({ length: Math.min(IDS_DRAWN, dataset.accounts) }, () => ({
      method: 'GET', path: `/v1/health/${dataset.accountId(Math.floor(Math.random() * dataset.accounts))}`,
    }));
    const routes: { figure: string; requests: LoadRequest[]; goalMs: number }[] = [
      { figure: `GET /v1/health/:id (random of ${dataset.accounts.toLocaleString('en')} accounts) — ${where}`, requests: single, goalMs: 10 },
      { figure: `GET /v1/health?sort=-churnRisk&limit=50 (top 50 at risk) — ${where}`, requests: [{ method: 'GET', path: '/v1/health?sort=-churnRisk&limit=50' }], goalMs: 20 },
      { figure: `GET /v1/health?band=red&sort=-churnRisk&limit=50 — ${where}`, requests: [{ method: 'GET', path: '/v1/health?band=red&sort=-churnRisk&limit=50' }], goalMs: 20 },
    ];
    for (const request of [single[0]!, ...routes.slice(1).map((route) => route.requests[0]!)]) await getOk(`${api.url}${request.path}`, BENCH_KEYS.analyst);
    const closed = (requests: readonly LoadRequest[], loopConnections = connections, seconds = durationSeconds) => () =>
      client.closedLoop({ url: api.url, connections: loopConnections, durationSeconds: seconds, requests, headers });
    const open = (requests: readonly LoadRequest[], rate: number, seconds = durationSeconds) => () =>
      client.openLoop({ url: api.url, rate, durationSeconds: seconds, requests, headers, maxConnections: OPEN_LOOP_CONNECTIONS });
    log(`http reads: warming up…`);
    await alternate(1, routes.map((route) => closed(route.requests, CLOSED_LOOP_WARM_UP.connections, CLOSED_LOOP_WARM_UP.seconds)));
    // The bare route's highest rate is the same measurement for every route: taken once a run, in turn with the routes'.
    log(`http reads: highest rates: closed loop, ${connections} connections, ${runs} × ${durationSeconds} s of each route and ${BARE.path}, taking turns…`);
    const highestRuns = await alternate<LoadResult & RunCpu>(runs, [...routes.map((route) => closed(route.requests)), closed(BARE_REQUESTS)]);
    const bareHighest = highestRuns[routes.length]!;
    const rows: BenchRow[] = [];
    for (const [index, route] of routes.entries()) {
      const highest = highestRuns[index]!;
      const rate = figureOf(highest.map((result) => result.rate));
      const offered = options.offeredRate ?? Math.max(1, Math.round(loadShare * rate.median));
      log(`http reads: ${route.figure}, latency: open loop at ${offered} req/s, ${runs} × ${durationSeconds} s against ${BARE.path}…`);
      // Untimed: opens the client's kept connections at this rate (and warms its code) before the timed runs.
      await open(route.requests, offered, OPEN_LOOP_WARM_UP_SECONDS)();
      const [timed, bareTimed] = await alternate<OpenLoopResult & RunCpu>(runs, [open(route.requests, offered), open(BARE_REQUESTS, offered)]);
      rows.push(readRow(route.figure, route.goalMs, { highest, bareHighest, timed: timed!, bareTimed: bareTimed! }, {
        runs, durationSeconds, connections, where: dataset.where, offered, share: options.offeredRate === undefined ? loadShare : null,
      }));
    }
    return rows;
  } finally {
    await client.close();
    await api.close();
  }
}

interface ReadRuns {
  readonly highest: readonly (LoadResult & RunCpu)[];
  readonly bareHighest: readonly (LoadResult & RunCpu)[];
  readonly timed: readonly (OpenLoopResult & RunCpu)[];
  readonly bareTimed: readonly (OpenLoopResult & RunCpu)[];
}

function readRow(
  figure: string, goalMs: number, { highest, bareHighest, timed, bareTimed }: ReadRuns,
  sizes: { runs: number; durationSeconds: number; connections: number; where: string; offered: number; share: number | null },
): BenchRow {
  const failures = [highest, bareHighest, timed, bareTimed].reduce((sum, results) => sum + results.reduce((runSum, result) => runSum + result.failures, 0), 0);
  const rate = figureOf(highest.map((result) => result.rate));
  const reference = figureOf(bareHighest.map((result) => result.rate));
  const latency = medianLatencies(timed);
  const latencyLoad = `${formatCount(sizes.offered)} req/s offered`;
  const p99s = (results: readonly { readonly latency: Latencies }[]) => results.map((result) => result.latency.p99.toFixed(0)).join('/');
  const achieved: Figure = figureOf(timed.map((result) => result.rate));
  return {
    figure,
    rate,
    unit: 'req/s',
    latency,
    latencyLoad,
    offeredRate: sizes.offered,
    reference: { name: `bare route ${BARE.path} of the same server`, rate: reference, latency: medianLatencies(bareTimed), latencyLoad },
    ratio: rate.median / reference.median,
    ...goalOf({ maxMs: goalMs }),
    met: failures === 0 && reaches({ maxMs: goalMs }, { latency }),
    note: `highest rate: autocannon, closed loop, ${sizes.connections} connections (its own p99 there ${p99s(highest)} ms, set by the count: `
      + `mean latency = connections / rate = ${(1000 * sizes.connections / rate.median).toFixed(1)} ms; CPU per request ${cpuPerRequest(highest)}, bare route ${cpuPerRequest(bareHighest)}); `
      + `latency: open loop at ${formatCount(sizes.offered)} req/s (${sizes.share === null ? 'fixed by --read-rate' : `${Math.round(100 * sizes.share)} % of the median highest rate`}), `
      + `requests on a fixed timetable over ≤ ${OPEN_LOOP_CONNECTIONS} keep-alive connections (undici) kept open from run to run, each timed from when it was due, after an untimed ${OPEN_LOOP_WARM_UP_SECONDS} s at the same rate; `
      + `achieved ${formatCount(achieved.median)} req/s, p99 per run ${p99s(timed)} ms, client send lag p99 ${maxOf(timed, (result) => result.sendLag.p99).toFixed(1)} ms (max ${maxOf(timed, (result) => result.sendLag.max).toFixed(0)}), `
      + `${interference(timed)}, the bare route's load client scavenges ${clientScavenges(bareTimed)}; CPU per request at this rate: ${cpuPerRequest(timed)}; `
      + `both load clients in a process of their own; median of ${sizes.runs} × ${sizes.durationSeconds} s each; ${sizes.where}`
      + failuresNote(failures),
  };
}

/**
 * What a slow run's tail may come from besides the route: the server's mark-compacts (each a burst
 * of tens of ms of latency at these rates), the load client's own scavenges (every request due
 * during one leaves late), the CPU the rest of the machine took, and the CPU the hypervisor took
 * from the machine (steal: on a shared host, stalls no process here caused).
 */
function interference(results: readonly RunCpu[]): string {
  const other = results.map((result) => (result.otherCores === null ? '?' : result.otherCores.toFixed(1))).join('/');
  const steal = results.map((result) => (result.stealMs === null ? '?' : result.stealMs.toFixed(0))).join('/');
  const loop = results.map((result) => result.loopDelayMaxMs.toFixed(0)).join('/');
  const scavenges = results.map(({ scavenges: { count, totalMs, maxMs } }) => `${count} (${totalMs.toFixed(0)} ms, longest ${maxMs.toFixed(1)})`).join(' / ');
  const waited = results.map((result) => (result.runQueueWaitMs === null ? '?' : result.runQueueWaitMs.toFixed(0))).join('/');
  return `per run: server mark-compacts ${results.map((result) => result.markCompacts).join('/')}, server scavenges ${scavenges}, server event loop late by at most ${loop} ms, ` +
    `load client scavenges ${clientScavenges(results)}, ` +
    `server thread runnable but waiting for a core ${waited} ms, CPU of other processes (PostgreSQL included) ${other} cores, CPU taken by the hypervisor (steal) ${steal} ms`;
}

const maxOf = <T>(values: readonly T[], of: (value: T) => number) => Math.max(...values.map(of));

