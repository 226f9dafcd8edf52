import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { figureOf, watchEventLoop, type Latencies } from './measure';
import type { LoadTarget, OpenLoopOptions, OpenLoopRequest, OpenLoopResult } from './open-loop';

export type { OpenLoopOptions, OpenLoopResult } from './open-loop';

/**
 * HTTP load from a process of its own (load-client.ts), so the benchmark's process, which runs
 * the API under test, does server work only: in a worker thread the client's kernel socket
 * writes were 23 % of the server process's CPU profile. Each request is drawn at random from
 * `requests` (e.g. a route with thousands of different ids).
 */
export type LoadRequest = OpenLoopRequest;

/** Closed loop: `connections` keep-alive connections, each sending its next request when the last is answered (autocannon). */
export interface ClosedLoopOptions extends LoadTarget {
  readonly connections: number;
}

export interface LoadResult {
  /** Responses a second over the run (2xx only). */
  readonly rate: number;
  /** Of the 2xx responses, in ms (autocannon's histogram: whole milliseconds). */
  readonly latency: Latencies;
  /** Responses other than 2xx and socket errors: a run with any is no figure. */
  readonly failures: number;
}

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
}

export type LoadJob =
  | { readonly id: number; readonly kind: 'closed'; readonly options: ClosedLoopOptions }
  | { readonly id: number; readonly kind: 'open'; readonly options: OpenLoopOptions };
export type LoadReply =
  | { readonly id: number; readonly result: LoadResult | OpenLoopResult; readonly cpuMs: number }
  | { readonly id: number; readonly error: string };

export class LoadClient {
  private readonly pending = new Map<number, { resolve: (reply: { result: never; cpuMs: number }) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private readonly exited: Promise<void>;
  /** This process's major collections and scavenges since the current run began (markCompacts, scavenges). */
  private runSince = 0;
  private majors = 0;
  private minors = { count: 0, totalMs: 0, maxMs: 0 };
  private readonly gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.startTime < this.runSince) continue;
      const kind = gcKindOf(entry);
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.majors += 1;
      else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        this.minors = { count: this.minors.count + 1, totalMs: this.minors.totalMs + entry.duration, maxMs: Math.max(this.minors.maxMs, entry.duration) };
      }
    }
  });

  private constructor(private readonly child: ChildProcess) {
    this.gcObserver.observe({ entryTypes: ['gc'] });
    child.on('message', (reply: LoadReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) waiting?.reject(new Error(`load client: ${reply.error}`));
      else waiting?.resolve({ result: reply.result as never, cpuMs: reply.cpuMs });
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`load client exited (${signal ?? code}) during a run`));
      this.pending.clear();
      resolve();
    }));
  }

  /** Forks the client; the bench's own flags (--cpu-prof and the like) apply to it too, but not --inspect. */
  static async start(): Promise<LoadClient> {
    const child = fork(join(__dirname, 'load-client.js'), [], {
      execArgv: process.execArgv.filter((flag) => !flag.startsWith('--inspect')),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return new LoadClient(child);
  }

  closedLoop(options: ClosedLoopOptions): Promise<LoadResult & RunCpu> {
    return this.run({ id: this.nextId++, kind: 'closed', options });
  }

  openLoop(options: OpenLoopOptions): Promise<OpenLoopResult & RunCpu> {
    return this.run({ id: this.nextId++, kind: 'open', options });
  }

  async close(): Promise<void> {
    this.gcObserver.disconnect();
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }

  private async run<T>(job: LoadJob): Promise<T & RunCpu> {
    const started = performance.now();
    this.runSince = started;
    this.majors = 0;
    this.minors = { count: 0, totalMs: 0, maxMs: 0 };
    const machineBefore = machineTicks();
    const waitBefore = runQueueWaitMs();
    const loop = watchEventLoop();
    const before = process.cpuUsage();
    const { result, cpuMs } = await new Promise<{ result: T; cpuMs: number }>((resolve, reject) => {
      this.pending.set(job.id, { resolve: resolve as (reply: { result: never; cpuMs: number }) => void, reject });
      this.child.send(job, (error) => {
        if (error) {
          this.pending.delete(job.id);
          reject(error);
        }
      });
    });
    const used = process.cpuUsage(before);
    const loopDelayMaxMs = loop.stop().max;
    const machineAfter = machineTicks();
    const waitAfter = runQueueWaitMs();
    const wallMs = performance.now() - started;
    const serverCpuMs = (used.user + used.system) / 1000;
    // Entries are delivered asynchronously: let the last ones of the run arrive.
    await new Promise((resolve) => setImmediate(resolve));
    const markCompacts = this.majors;
    const scavenges = this.minors;
    const both = machineBefore !== null && machineAfter !== null;
    const otherCores = both ? Math.max(0, machineAfter.busyMs - machineBefore.busyMs - serverCpuMs - cpuMs) / wallMs : null;
    const stealMs = both ? machineAfter.stealMs - machineBefore.stealMs : null;
    const waited = waitBefore !== null && waitAfter !== null ? waitAfter - waitBefore : null;
    return { ...result, serverCpuMs, clientCpuMs: cpuMs, markCompacts, otherCores, stealMs, loopDelayMaxMs, scavenges, runQueueWaitMs: waited };
  }
}

/**
 * CPU time since boot, in ms (/proc/stat, USER_HZ = 100 ticks): of all processes (user, nice,
 * system, irq and softirq; guest time is already counted in user), and taken by the hypervisor
 * (steal); null elsewhere.
 */
function machineTicks(): { readonly busyMs: number; readonly stealMs: number } | null {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').slice(0, 200).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { busyMs: 10 * [0, 1, 2, 5, 6].reduce((sum, field) => sum + (ticks[field] ?? 0), 0), stealMs: 10 * (ticks[7] ?? 0) };
  } catch {
    return null;
  }
}

/**
 * Time this process's main thread has spent runnable but waiting for a core since it started, in
 * ms: the second field of its schedstat (ns); null where the kernel keeps none.
 */
function runQueueWaitMs(): number | null {
  try {
    const waitNs = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]);
    return Number.isFinite(waitNs) ? waitNs / 1e6 : null;
  } catch {
    return null;
  }
}

/** "server process 371 µs, load client 90 µs": the median over runs of each side's CPU time per 2xx response. */
export function cpuPerRequest(results: readonly (RunCpu & { readonly latency: Latencies })[]): string {
  const per = (cpuMs: (result: RunCpu) => number) => figureOf(results.map((result) => (1000 * cpuMs(result)) / result.latency.count)).median.toFixed(0);
  return `server process ${per((result) => result.serverCpuMs)} µs, load client ${per((result) => result.clientCpuMs)} µs`;
}

/** Runs `measure` `runs` times, alternating with the reference, so both see the same noise. */
export async function alternate<T>(runs: number, measures: readonly (() => Promise<T>)[]): Promise<T[][]> {
  const results: T[][] = measures.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [index, measure] of measures.entries()) results[index]!.push(await measure());
  }
  return results;
}

/** A gc entry's kind (major, minor, …): in `detail` since Node 16, which these typings do not declare. */
const gcKindOf = (entry: PerformanceEntry): number | undefined => (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } }).detail?.kind;
