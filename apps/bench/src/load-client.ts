import autocannon from 'autocannon';
import { GcWatch } from './gc-tally';
import type { ClosedLoopOptions, LoadMessage, LoadReply, LoadRequest, LoadResult } from './http-load';
import { openLoop, OpenLoopPools } from './open-loop';

/** The open loop's connections, kept from one run to the next (OpenLoopPools). */
const pools = new OpenLoopPools();
/** The request lists the parent sent, by number: kept for the process's life, so no run parses its list. */
const requestSets = new Map<number, readonly LoadRequest[]>();
const gc = new GcWatch();

/**
 * The load generator's own process (forked by http-load.ts): the server's process then does
 * server work only, and the client's socket writes and HTTP parsing are counted here. Runs
 * one job at a time, as the parent sends them, until the parent disconnects.
 */
process.on('message', (message: LoadMessage) => {
  if (message.kind === 'requests') {
    requestSets.set(message.set, message.requests);
    return;
  }
  const job = message;
  const requests = requestSets.get(job.options.requestSet);
  if (requests === undefined) {
    process.send!({ id: job.id, error: `no request set ${job.options.requestSet} was sent before the run` } satisfies LoadReply);
    return;
  }
  gc.restart();
  const before = process.cpuUsage();
  const running = job.kind === 'open' ? openLoop({ ...job.options, requests }, pools) : closedLoop({ ...job.options, requests });
  const cpuMs = () => {
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  running.then(
    async (result) => {
      const used = cpuMs();
      process.send!({ id: job.id, result, cpuMs: used, gc: await gc.settled() } satisfies LoadReply);
    },
    (error: Error) => process.send!({ id: job.id, error: error.stack ?? error.message } satisfies LoadReply),
  );
});
process.on('disconnect', () => {
  gc.close();
  void pools.close().finally(() => process.exit(0));
});

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
