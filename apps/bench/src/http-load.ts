import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Latencies } from './measure';

/**
 * HTTP load with autocannon from a worker thread, so the client does not share the event loop
 * with the in-process server it loads. Each request is drawn at random from `requests`
 * (e.g. a route with thousands of different ids), over `connections` keep-alive connections.
 */
export interface LoadRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  /** JSON text; sent with content-type application/json. */
  readonly body?: string;
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly requests: readonly LoadRequest[];
  readonly headers?: Readonly<Record<string, string>>;
}

export interface LoadResult {
  /** Responses a second over the run (2xx only). */
  readonly rate: number;
  /** Of the 2xx responses, in ms (autocannon's histogram: whole milliseconds). */
  readonly latency: Latencies;
  /** Responses other than 2xx and socket errors: a run with any is no figure. */
  readonly failures: number;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ahe-bench-load-'));
  try {
    // Functions cannot cross into the worker: it requires this file instead.
    const setupRequest = join(dir, 'setup-request.js');
    writeFileSync(setupRequest, setupRequestSource(options.requests, options.headers ?? {}));
    const result = await autocannon({
      url: options.url,
      connections: options.connections,
      duration: options.durationSeconds,
      workers: 1,
      requests: [{ setupRequest }],
    });
    const ok = result['2xx'];
    return {
      rate: ok / (result.duration || options.durationSeconds),
      latency: { count: ok, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      failures: result.non2xx + result.errors + result.timeouts,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function setupRequestSource(requests: readonly LoadRequest[], headers: Readonly<Record<string, string>>): string {
  return `'use strict';
const requests = ${JSON.stringify(requests)};
const headers = ${JSON.stringify(headers)};
const jsonHeaders = { ...headers, 'content-type': 'application/json' };
module.exports = (request) => {
  const picked = requests[Math.floor(Math.random() * requests.length)];
  return { ...request, method: picked.method, path: picked.path, body: picked.body, headers: picked.body === undefined ? headers : jsonHeaders };
};
`;
}

/** Runs `measure` `runs` times, alternating with the reference, so both see the same noise. */
export async function alternate<T>(runs: number, measures: readonly (() => Promise<T>)[]): Promise<T[][]> {
  const results: T[][] = measures.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [index, measure] of measures.entries()) results[index]!.push(await measure());
  }
  return results;
}
