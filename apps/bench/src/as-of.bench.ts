import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProjectionEngine } from '@ahe/projections';
import { ACCOUNT_HEALTH } from '@ahe/read-models';
import { type BenchRow, type BenchTarget, goalOf, reaches } from './bench-table';
import { BENCH_KEYS, getOk, startBenchApi } from './api-server';
import type { FirstRequestJob, FirstRequestReply } from './as-of-first-request';
import { latencies } from './measure';
import { ACCOUNT_ID, appendLongAccount, HOUR_MS } from './as-of-account';
import { dropTarget, freshTarget, whereOf, type EmbeddedChoice } from './store-target';

const AS_OF_TARGET: BenchTarget = { maxMs: 100 };
/** A fresh process's first as-of request: a handful of processes, so their median. */
const FIRST_REQUEST_TARGET: BenchTarget = { maxMs: 100, stat: 'p50' };

export interface AsOfBenchOptions {
  readonly databaseUrl: string;
  /** The store of the account and of every API process: PostgreSQL (false, the default) or the embedded store. */
  readonly embedded?: EmbeddedChoice;
  /** Events of the one account; default 10,000. */
  readonly events?: number;
  /** Requests of each kind, each as-of one at another instant; default 20 (quick 5). */
  readonly requests?: number;
  /** Fresh API processes whose first as-of request is timed; default 3. */
  readonly freshProcesses?: number;
  readonly log?: (line: string) => void;
}

/**
 * GET /v1/health/:id?asOf=…&axis=occurred of one long account (replayed from its stream with
 * the snapshots and the LTV fit as of the instant) against the live read of the same row, one
 * request at a time. The first as-of request of a process is reported apart, from fresh
 * processes (as-of-first-request.ts) that serve HTTP alone, as a production API process does,
 * after their AS_OF_WARM_UP warm-up: this process's own fit thread and compiled code would
 * otherwise be warm from the runs before.
 */
export async function asOfBench(options: AsOfBenchOptions): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const events = options.events ?? 10_000;
  const requests = options.requests ?? 20;
  const freshProcesses = options.freshProcesses ?? 3;
  const target = freshTarget(options.embedded ?? false, options.databaseUrl, `bench_b2_asof_${process.pid}`);
  const where = whereOf(target);
  try {
    const openedAt = Date.now() - (events + 1) * HOUR_MS;
    await appendLongAccount(target, openedAt, events, log);
    const midInstant = openedAt + Math.round(events / 2) * HOUR_MS;
    const asOfPath = (at: number) => `/v1/health/${ACCOUNT_ID}?asOf=${new Date(at).toISOString()}&axis=occurred`;
    const instant = (n: number) => openedAt + Math.round(((n + 0.5) / requests) * events) * HOUR_MS + 1_000;
    const asOf: number[] = [];
    const liveReads: number[] = [];
    // The same instant again: the fit as of it is kept, so this is the account's own replay alone.
    const sameInstant: number[] = [];
    const api = await startBenchApi({ store: target, roles: ['http', 'projections'], asOfWarmUp: true });
    try {
      const live = `${api.url}/v1/health/${ACCOUNT_ID}`;
      await untilProjected(api.app.get(ProjectionEngine, { strict: false }), live, 120_000);
      const timed = async (url: string, key: string) => {
        const started = performance.now();
        await getOk(url, key);
        return performance.now() - started;
      };
      const mid = `${api.url}${asOfPath(midInstant)}`;
      log(`as-of: ${requests} as-of reads at different instants and ${requests} live reads of a ${events.toLocaleString('en')}-event account…`);
      // Untimed: this process's first as-of request, which the fresh processes measure.
      await getOk(mid, BENCH_KEYS.auditor);
      for (let n = 0; n < requests; n++) {
        asOf.push(await timed(`${api.url}${asOfPath(instant(n))}`, BENCH_KEYS.auditor));
        liveReads.push(await timed(live, BENCH_KEYS.analyst));
        sameInstant.push(await timed(mid, BENCH_KEYS.auditor));
      }
    } finally {
      await api.close();
    }
    // Once this process's API has closed: each fresh one opens the store alone (an embedded folder is held by one process at a time).
    log(`as-of: the first as-of request of ${freshProcesses} fresh API process${freshProcesses === 1 ? '' : 'es'}…`);
    const firsts = await firstRequestsOfFreshProcesses({ store: target, path: asOfPath(midInstant) }, freshProcesses);
    const repeated = latencies(sameInstant);
    const warm = latencies(asOf);
    const reference = latencies(liveReads);
    const first = latencies(firsts.map(({ ms }) => ms));
    const firstCpu = latencies(firsts.map(({ cpuMs }) => cpuMs));
    const warmUp = latencies(firsts.map(({ warmUpMs }) => warmUpMs));
    return [
      {
        figure: `as-of health of a ${events.toLocaleString('en')}-event account, axis=occurred, each at another instant — ${where}`,
        latency: warm,
        reference: { name: 'live read GET /v1/health/:id of the same row', latency: reference },
        ...goalOf(AS_OF_TARGET),
        met: reaches(AS_OF_TARGET, { latency: warm }),
        note: `${requests} sequential requests each; p50 ${(warm.p50 / reference.p50).toFixed(1)} × the live read's; every instant new, so each fits the LTV models as of it from the in-memory LTV index `
          + `(the same instant again, fit kept: p50 ${repeated.p50.toFixed(0)} ms, p99 ${repeated.p99.toFixed(0)} ms)`,
      },
      {
        figure: `as-of health, first request of a fresh API process after its warm-up (AS_OF_WARM_UP: LTV index, snapshots, fit thread) — ${where}`,
        latency: first,
        reference: { name: 'live read', latency: reference },
        ...goalOf(FIRST_REQUEST_TARGET),
        met: reaches(FIRST_REQUEST_TARGET, { latency: first }),
        note: `${firsts.length} fresh process${firsts.length === 1 ? '' : 'es'} serving HTTP alone, one first request each, after the suite's own API has closed: p50 is their median, p99 their worst; `
          + `their CPU time during it: median ${firstCpu.p50.toFixed(0)} ms, worst ${firstCpu.max.toFixed(0)} ms; `
          + `the warm-up after listen (waited for before the request) took ${warmUp.p50.toFixed(0)} ms (median)`,
      },
    ];
  } finally {
    await dropTarget(target);
  }
}

/** Each in a process of its own, one after another: the API started there, its warm-up, one as-of request. */
async function firstRequestsOfFreshProcesses(job: FirstRequestJob, processes: number): Promise<{ ms: number; cpuMs: number; warmUpMs: number }[]> {
  const timings: { ms: number; cpuMs: number; warmUpMs: number }[] = [];
  for (let n = 0; n < processes; n++) {
    const child = fork(join(__dirname, 'as-of-first-request.js'), [], {
      execArgv: process.execArgv.filter((flag) => !flag.startsWith('--inspect')),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const reply = await new Promise<FirstRequestReply>((resolve, reject) => {
        child.once('message', (message: FirstRequestReply) => resolve(message));
        child.once('error', reject);
        child.once('exit', (code, signal) => reject(new Error(`the fresh API process exited (${signal ?? code}) before answering`)));
        child.send(job);
      });
      if ('error' in reply) throw new Error(`the fresh API process failed: ${reply.error}`);
      timings.push(reply);
    } finally {
      if (child.connected) child.disconnect();
      await exited;
    }
  }
  return timings;
}

/** The engine takes its projections in the background: wait until account_health is ours, caught up, and the row answers. */
async function untilProjected(engine: ProjectionEngine, live: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!engine.owned().includes(ACCOUNT_HEALTH)) {
    if (Date.now() > deadline) throw new Error(`${ACCOUNT_HEALTH} was not taken within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await engine.waitUntilCaughtUp(Math.max(1_000, deadline - Date.now()));
  for (;;) {
    const response = await fetch(live, { headers: { authorization: `Bearer ${BENCH_KEYS.analyst}` } });
    await response.text();
    if (response.status === 200) return;
    if (Date.now() > deadline) throw new Error(`GET ${live} still answers ${response.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
