import autocannon from 'autocannon';
import { assertNever } from '@ahe/events';
import { GcWatch } from './gc-watch';
import type { ClosedLoopOptions, LoadJob, LoadMessage, LoadReply, LoadResult } from './load-protocol';
import { openLoop, OpenLoopPools, type OpenLoopRequest, type OpenLoopResult } from './open-loop';

/** The open loop's connections, kept from one run to the next (OpenLoopPools). */
const pools = new OpenLoopPools();
/** The request lists the parent sent, by number: kept for the process's life, so no run parses its list. */
const requestSets = new Map<number, readonly OpenLoopRequest[]>();
const gc = new GcWatch();
/** The job being run: one at a time, since the CPU and collections counted are the process's. */
let running: number | null = null;

/**
 * The load generator's own process (forked by http-load.ts): the server's process then does
 * server work only, and the client's socket writes and HTTP parsing are counted here. Runs
 * one job at a time, as the parent sends them, until the parent disconnects.
 */
process.on('message', (message: LoadMessage) => {
  switch (message.kind) {
    case 'requests':
      requestSets.set(message.set, message.requests);
      return;
    case 'open':
    case 'closed':
      return run(message);
    default:
      return assertNever(message);
  }
});
process.on('disconnect', () => {
  gc.close();
  void pools.close().finally(() => process.exit(0));
});

function run(job: LoadJob): void {
  const refuse = (error: string): void => void process.send!({ id: job.id, error } satisfies LoadReply);
  const requests = requestSets.get(job.options.requestSet);
  if (requests === undefined) return refuse(`no request set ${job.options.requestSet} was sent before the run`);
  if (running !== null) return refuse(`run ${running} is still running: one run at a time`);
  running = job.id;
  gc.restart();
  const before = process.cpuUsage();
  const result: Promise<LoadResult | OpenLoopResult> = job.kind === 'open' ? openLoop({ ...job.options, requests }, pools) : closedLoop({ ...job.options, requests });
  result.then(
    async (done) => {
      const used = process.cpuUsage(before);
      const tally = await gc.settled();
      running = null;
      process.send!({ id: job.id, result: done, cpuMs: (used.user + used.system) / 1000, gc: tally } satisfies LoadReply);
    },
    (error: Error) => {
      running = null;
      refuse(error.stack ?? error.message);
    },
  );
}

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
