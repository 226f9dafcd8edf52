import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { latencies, type Latencies } from './measure';

/**
 * An open-loop HTTP client: request n is due at start + n / rate whatever happened to the
 * earlier ones, and its latency runs from that due time to the end of its response. A closed
 * loop (autocannon, or autocannon's own rate limit, which only caps each connection's
 * requests per second) sends nothing while it waits, so a server that stalls is sent fewer
 * requests and the stall hides in the count (coordinated omission); here it shows as latency.
 *
 * Requests go out through undici's connection pool, answered through callbacks (no stream or
 * promise per response): the client shares the machine's two cores with the server, and its own
 * CPU and lateness are in every latency it reports. Against node:http's client, alternating on
 * the data set: 50-58 µs of CPU a request against 72-96 for GET /v1/health/:id, 179-199 against
 * 235-276 for a 50-row list page (docs/benchmarks-journal.md, the load client).
 */
export interface OpenLoopRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  /** JSON text; sent with content-type application/json. */
  readonly body?: string;
}

/** What any load run sends, and for how long (open or closed loop). */
export interface LoadTarget {
  readonly url: string;
  readonly durationSeconds: number;
  /** Drawn at random for each request. */
  readonly requests: readonly OpenLoopRequest[];
  readonly headers?: Readonly<Record<string, string>>;
}

export interface OpenLoopOptions extends LoadTarget {
  /** Requests a second offered, on a fixed timetable. */
  readonly rate: number;
  /** Keep-alive connections at most; a request due while all are busy waits for one, and that wait counts. Default 64. */
  readonly maxConnections?: number;
  /** How long to wait for the last answers after the last request is due; default 30 s. */
  readonly drainSeconds?: number;
}

export interface OpenLoopResult {
  readonly offeredRate: number;
  /** 2xx responses a second, from the first due time to the last answer. */
  readonly rate: number;
  /** Of the 2xx responses, in ms from each request's due time. */
  readonly latency: Latencies;
  /** How late the client itself handed each request to the socket layer, in ms (its own lag, part of the latency). */
  readonly sendLag: Latencies;
  /** Requests due over the run: always rate × duration, however the server behaves. */
  readonly sent: number;
  /** Non-2xx responses, socket errors and requests not answered by the end of the drain. */
  readonly failures: number;
}

/**
 * Keep-alive connections kept from one run to the next, one pool per origin and connection limit,
 * as a real client keeps them: a run that opened its connections afresh measured their opening (the
 * server accepting up to 64 sockets inside the timed span), not the route. Alternating probes of
 * GET /v1/health/:id at 2,900 req/s: p99 per run 9.2-13.5 ms with the connections kept, 12.9-20.6
 * with a new pool a run (docs/benchmarks-journal.md, the load client).
 */
export class OpenLoopPools {
  private readonly pools = new Map<string, Pool>();

  pool(url: string, connections: number): Pool {
    const key = this.keyOf(url, connections);
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = newPool(url, connections);
      this.pools.set(key, pool);
    }
    return pool;
  }

  async discard(url: string, connections: number): Promise<void> {
    const key = this.keyOf(url, connections);
    const pool = this.pools.get(key);
    this.pools.delete(key);
    await pool?.destroy();
  }

  private keyOf(url: string, connections: number): string {
    return `${new URL(url).origin} ${connections}`;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
}

/** One request in flight a connection, as a browser or node:http's agent sends them. */
const newPool = (url: string, connections: number) => new Pool(new URL(url).origin, { connections, pipelining: 1 });

/** `pools`: connections kept across runs (OpenLoopPools); without, the run opens its own and closes them after. */
export async function openLoop(options: OpenLoopOptions, pools?: OpenLoopPools): Promise<OpenLoopResult> {
  const connections = options.maxConnections ?? 64;
  const pool = pools ? pools.pool(options.url, connections) : newPool(options.url, connections);
  const total = Math.max(1, Math.round(options.rate * options.durationSeconds));
  const interval = 1000 / options.rate;
  const headers = Object.entries(options.headers ?? {}).flat();
  const jsonHeaders = [...headers, 'content-type', 'application/json'];
  const samples: number[] = [];
  const lags: number[] = [];
  let failures = 0;
  let settled = 0;
  let lastAnswer = 0;
  let allSettled!: () => void;
  const done = new Promise<void>((resolve) => (allSettled = resolve));
  const settle = () => {
    lastAnswer = performance.now();
    if (++settled === total) allSettled();
  };

  const send = (due: number) => {
    lags.push(performance.now() - due);
    const picked = options.requests[Math.floor(Math.random() * options.requests.length)]!;
    let status = 0;
    pool.dispatch({ method: picked.method, path: picked.path, headers: picked.body === undefined ? headers : jsonHeaders, body: picked.body ?? null }, {
      onConnect: () => undefined,
      onHeaders: (statusCode) => {
        status = statusCode;
        return true;
      },
      onData: () => true,
      onComplete: () => {
        if (status >= 200 && status < 300) samples.push(performance.now() - due);
        else failures++;
        settle();
      },
      onError: () => {
        failures++;
        settle();
      },
    });
  };

  const drainMs = (options.drainSeconds ?? 30) * 1000;
  let drainTimer: NodeJS.Timeout | undefined;
  let startDrain!: () => void;
  const drained = new Promise<void>((resolve) => (startDrain = () => (drainTimer = setTimeout(resolve, drainMs))));
  const start = performance.now();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  // Sends every request already due, then sleeps until the next one is: late timers catch up at once.
  const tick = () => {
    const now = performance.now();
    while (next < total && start + next * interval <= now) send(start + interval * next++);
    if (next < total) timer = setTimeout(tick, start + next * interval - performance.now());
    else startDrain();
  };
  tick();
  await Promise.race([done, drained]);
  clearTimeout(timer);
  clearTimeout(drainTimer);
  // A kept pool still holding unanswered requests is closed too: they must not take the next run's connections.
  if (pools === undefined) await pool.destroy();
  else if (settled < total) await pools.discard(options.url, connections);
  const unanswered = total - settled;
  return {
    offeredRate: options.rate,
    rate: samples.length / (((settled > 0 ? lastAnswer : performance.now()) - start) / 1000),
    latency: latencies(samples),
    sendLag: latencies(lags),
    sent: total,
    failures: failures + unanswered,
  };
}
