import { performance } from 'node:perf_hooks';
import { BENCH_KEYS, getOk, startBenchApi } from './api-server';
import type { StoreTarget } from './store-target';

/** What as-of.bench.ts asks of a fresh process: one as-of read of `path` on the API it starts. */
export interface FirstRequestJob {
  /** The as-of suite's store: a PostgreSQL schema, or an embedded folder that no other process holds open meanwhile. */
  readonly store: StoreTarget;
  readonly path: string;
}

export type FirstRequestReply =
  | { readonly ms: number; readonly cpuMs: number; readonly warmUpMs: number }
  | { readonly error: string };

/**
 * A fresh API process (forked by as-of.bench.ts), as apps/api/src/main.ts starts one for HTTP
 * alone with AS_OF_WARM_UP: it waits for the warm-up to settle, then times its first as-of
 * request, in wall time and in the process's CPU time (its threads', the fit's included), which
 * a loaded machine disturbs less. The readiness probe an orchestrator sends first is sent first
 * here too, so that the client's own first fetch (loading its HTTP stack) is not counted.
 */
process.once('message', (job: FirstRequestJob) => {
  firstRequest(job).then(
    (reply) => process.send!(reply satisfies FirstRequestReply),
    (error: Error) => process.send!({ error: error.stack ?? error.message } satisfies FirstRequestReply),
  );
});
process.on('disconnect', () => process.exit(0));

async function firstRequest({ store, path }: FirstRequestJob): Promise<FirstRequestReply> {
  const api = await startBenchApi({ store, roles: ['http'], asOfWarmUp: true });
  try {
    await getOk(`${api.url}/health/ready`);
    const cpu = process.cpuUsage();
    const started = performance.now();
    await getOk(`${api.url}${path}`, BENCH_KEYS.auditor);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000, warmUpMs: api.warmUpMs };
  } finally {
    await api.close();
  }
}
