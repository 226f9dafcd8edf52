import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GcWatch, type GcTally } from './gc-watch';
import { RequestSets, type ClosedLoopOptions, type LoadJob, type LoadMessage, type LoadReply, type LoadResult } from './load-protocol';
import { watchEventLoop } from './measure';
import type { OpenLoopOptions, OpenLoopRequest, OpenLoopResult } from './open-loop';
import type { RunCpu } from './run-cpu';

export type { OpenLoopOptions, OpenLoopResult } from './open-loop';
export type { ClosedLoopOptions, LoadResult } from './load-protocol';

/**
 * HTTP load from a process of its own (load-client.ts), so the benchmark's process, which runs
 * the API under test, does server work only: in a worker thread the client's kernel socket
 * writes were 23 % of the server process's CPU profile. Each request is drawn at random from
 * `requests` (e.g. a route with thousands of different ids).
 */
export type LoadRequest = OpenLoopRequest;

export class LoadClient {
  private readonly pending = new Map<number, { resolve: (reply: { result: never; cpuMs: number; gc: GcTally }) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private readonly exited: Promise<void>;
  /** This process's major collections and scavenges since the current run began (markCompacts, scavenges). */
  private readonly gc = new GcWatch();
  /** The request lists the client keeps, by number (LoadMessage). */
  private readonly requestSets = new RequestSets();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: LoadReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) waiting?.reject(new Error(`load client: ${reply.error}`));
      else waiting?.resolve({ result: reply.result as never, cpuMs: reply.cpuMs, gc: reply.gc });
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

  async closedLoop({ requests, ...options }: ClosedLoopOptions): Promise<LoadResult & RunCpu> {
    return this.run({ id: this.nextId++, kind: 'closed', options: { ...options, requestSet: await this.requestSet(requests) } });
  }

  async openLoop({ requests, ...options }: OpenLoopOptions): Promise<OpenLoopResult & RunCpu> {
    return this.run({ id: this.nextId++, kind: 'open', options: { ...options, requestSet: await this.requestSet(requests) } });
  }

  async close(): Promise<void> {
    this.gc.close();
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }

  /** The number of `requests` in the client, sent there (before any run, untimed) the first time the list is used. */
  private async requestSet(requests: readonly LoadRequest[]): Promise<number> {
    const { set, isNew } = this.requestSets.numberOf(requests);
    if (isNew) {
      await this.send({ kind: 'requests', set, requests }).catch((error: unknown) => {
        this.requestSets.forget(requests);
        throw error;
      });
    }
    return set;
  }

  private send(message: LoadMessage): Promise<void> {
    return new Promise((resolve, reject) => this.child.send(message, (error) => (error ? reject(error) : resolve())));
  }

  private async run<T>(job: LoadJob): Promise<T & RunCpu> {
    const started = performance.now();
    this.gc.restart();
    const machineBefore = machineTicks();
    const waitBefore = runQueueWaitMs();
    const loop = watchEventLoop();
    const before = process.cpuUsage();
    const { result, cpuMs, gc: clientGc } = await new Promise<{ result: T; cpuMs: number; gc: GcTally }>((resolve, reject) => {
      this.pending.set(job.id, { resolve: resolve as (reply: { result: never; cpuMs: number; gc: GcTally }) => void, reject });
      this.send(job).catch((error: Error) => {
        this.pending.delete(job.id);
        reject(error);
      });
    });
    const used = process.cpuUsage(before);
    const loopDelayMaxMs = loop.stop().max;
    const machineAfter = machineTicks();
    const waitAfter = runQueueWaitMs();
    const wallMs = performance.now() - started;
    const serverCpuMs = (used.user + used.system) / 1000;
    const { markCompacts, scavenges } = await this.gc.settled();
    const both = machineBefore !== null && machineAfter !== null;
    const otherCores = both ? Math.max(0, machineAfter.busyMs - machineBefore.busyMs - serverCpuMs - cpuMs) / wallMs : null;
    const stealMs = both ? machineAfter.stealMs - machineBefore.stealMs : null;
    const waited = waitBefore !== null && waitAfter !== null ? waitAfter - waitBefore : null;
    return { ...result, serverCpuMs, clientCpuMs: cpuMs, markCompacts, otherCores, stealMs, loopDelayMaxMs, scavenges, runQueueWaitMs: waited, clientGc };
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

/** Runs `measure` `runs` times, alternating with the reference, so both see the same noise. */
export async function alternate<T>(runs: number, measures: readonly (() => Promise<T>)[]): Promise<T[][]> {
  const results: T[][] = measures.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [index, measure] of measures.entries()) results[index]!.push(await measure());
  }
  return results;
}
