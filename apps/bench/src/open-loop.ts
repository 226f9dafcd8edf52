import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { latencies, type Latencies } from './measure';

/**
 * An open-loop HTTP client: request n is due at start + n / rate whatever happened to the
 * earlier ones, and its latency runs from that due time to the end of its response. A closed
 * loop (autocannon, or autocannon's own rate limit, which only caps each connection's
 * requests per second) sends nothing while it waits, so a server that stalls is sent fewer
 * requests and the stall hides in the count (coordinated omission); here it shows as latency.
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

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxConnections ?? 64 });
  const total = Math.max(1, Math.round(options.rate * options.durationSeconds));
  const interval = 1000 / options.rate;
  const headers = { ...options.headers };
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
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
    const outgoing = request({
      agent, host: target.hostname, port: target.port, method: picked.method, path: picked.path,
      headers: picked.body === undefined ? headers : { ...jsonHeaders, 'content-length': Buffer.byteLength(picked.body) },
    }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300) samples.push(performance.now() - due);
        else failures++;
        settle();
      });
      response.on('error', () => {
        failures++;
        settle();
      });
    });
    outgoing.on('error', () => {
      failures++;
      settle();
    });
    outgoing.end(picked.body);
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
  agent.destroy();
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
