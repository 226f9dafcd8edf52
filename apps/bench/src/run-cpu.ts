import type { GcTally } from './gc-watch';
import { figureOf, type Latencies } from './measure';

/** CPU time of a run: of this process (the server's, as the client has its own) and of the load client's process. */
export interface RunCpu {
  readonly serverCpuMs: number;
  readonly clientCpuMs: number;
  /**
   * What a tail latency may come from besides the route, to tell a slow run's cause: this
   * process's major collections (mark-compact: tens of ms of incremental marking, its helper
   * threads on the same cores), and the machine's CPU outside the two processes (PostgreSQL's
   * backends and anything else running), in cores; null without /proc/stat.
   */
  readonly markCompacts: number;
  readonly otherCores: number | null;
  /**
   * CPU time the hypervisor took from this machine's cores during the run (/proc/stat steal), in
   * ms: a virtual machine's stall that no process here caused; null without /proc/stat.
   */
  readonly stealMs: number | null;
  /**
   * The longest this process's event loop was late during the run, in ms (sampled every 10 ms):
   * a stall of the server's own (a long synchronous task, a collection) rather than a wait for
   * the database or the client.
   */
  readonly loopDelayMaxMs: number;
  /**
   * This process's scavenges during the run: each stops the server's thread for as long as it
   * copies the young generation's survivors, and every request due meanwhile waits.
   */
  readonly scavenges: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
  /**
   * How long this process's main thread was runnable but waiting for a core during the run, in
   * ms (the kernel's run-queue wait, /proc/<pid>/task/<pid>/schedstat): CPU that PostgreSQL, the
   * load client or anything else held while the server had work; null without schedstat.
   */
  readonly runQueueWaitMs: number | null;
  /**
   * The load client's own collections during the run: a scavenge there delays every request due
   * meanwhile, and that delay is in their latency as if the server had stalled.
   */
  readonly clientGc: GcTally;
}

/** "server process 371 µs, load client 90 µs": the median over runs of each side's CPU time per 2xx response. */
export function cpuPerRequest(results: readonly (RunCpu & { readonly latency: Latencies })[]): string {
  const per = (cpuMs: (result: RunCpu) => number) => figureOf(results.map((result) => (1000 * cpuMs(result)) / result.latency.count)).median.toFixed(0);
  return `server process ${per((result) => result.serverCpuMs)} µs, load client ${per((result) => result.clientCpuMs)} µs`;
}

/** "1 (longest 4.0) / 2 (longest 3.6)": the load client's scavenges in each run, and the longest of each. */
export function clientScavenges(results: readonly RunCpu[]): string {
  return results.map(({ clientGc: { scavenges: { count, maxMs } } }) => `${count} (longest ${maxMs.toFixed(1)})`).join(' / ');
}
