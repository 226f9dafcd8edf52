import autocannon from 'autocannon';
import type { ClosedLoopOptions, LoadJob, LoadReply, LoadResult } from './http-load';
import { openLoop, OpenLoopPools } from './open-loop';

/** The open loop's connections, kept from one run to the next (OpenLoopPools). */
const pools = new OpenLoopPools();

/**
 * The load generator's own process (forked by http-load.ts): the server's process then does
 * server work only, and the client's socket writes and HTTP parsing are counted here. Runs
 * one job at a time, as the parent sends them, until the parent disconnects.
 */
process.on('message', (job: LoadJob) => {
  const before = process.cpuUsage();
  const running = job.kind === 'open' ? openLoop(job.options, pools) : closedLoop(job.options);
  const cpuMs = () => {
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  running.then(
    (result) => process.send!({ id: job.id, result, cpuMs: cpuMs() } satisfies LoadReply),
    (error: Error) => process.send!({ id: job.id, error: error.stack ?? error.message } satisfies LoadReply),
  );
});
process.on('disconnect', () => void pools.close().finally(() => process.exit(0)));

/** autocannon in this process's main thread: each connection sends its next request when the last is answered. */
async function closedLoop(options: ClosedLoopOptions): Promise<LoadResult> {
  const headers = { ...options.headers };
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [{
      setupRequest: (request) => {
        const picked = options.requests[Math.floor(Math.random() * options.requests.length)]!;
        return { ...request, method: picked.method, path: picked.path, body: picked.body, headers: picked.body === undefined ? headers : jsonHeaders };
      },
    }],
  });
  const ok = result['2xx'];
  return {
    rate: ok / (result.duration || options.durationSeconds),
    latency: { count: ok, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
