import type { GcTally } from './gc-watch';
import type { Latencies } from './measure';
import type { LoadTarget, OpenLoopOptions, OpenLoopRequest, OpenLoopResult } from './open-loop';

// What the benchmark's process and its load client (load-client.ts, forked by http-load.ts) say
// to each other over the IPC channel, whose messages arrive in the order they were sent.

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

/** A run's options as the client process receives them: the requests by the number of a set it keeps. */
export type OnRequestSet<Options extends LoadTarget> = Omit<Options, 'requests'> & { readonly requestSet: number };

/**
 * What the client process is sent: a list of requests to keep under a number, once, or a run
 * drawing from one. A list sent with every run (20,000 ids for GET /v1/health/:id) was parsed
 * into the client's young heap as the timed run began, and the scavenges that copied and promoted
 * it stopped the client for up to 25 ms inside the run (docs/benchmarks-journal.md, the load
 * client's own pauses).
 */
export type LoadMessage =
  | { readonly kind: 'requests'; readonly set: number; readonly requests: readonly OpenLoopRequest[] }
  | LoadJob;
export type LoadJob =
  | { readonly id: number; readonly kind: 'closed'; readonly options: OnRequestSet<ClosedLoopOptions> }
  | { readonly id: number; readonly kind: 'open'; readonly options: OnRequestSet<OpenLoopOptions> };
export type LoadReply =
  | { readonly id: number; readonly result: LoadResult | OpenLoopResult; readonly cpuMs: number; readonly gc: GcTally }
  | { readonly id: number; readonly error: string };

/**
 * Numbers request lists by identity, so that a list used for many runs (a route's 20,000 ids) is
 * sent to the client once. The client keeps every list it is sent for its life: give each route
 * one array for all its runs, not a new one a run.
 */
export class RequestSets {
  private readonly numbers = new WeakMap<readonly OpenLoopRequest[], number>();
  private next = 0;

  numberOf(requests: readonly OpenLoopRequest[]): { readonly set: number; readonly isNew: boolean } {
    const known = this.numbers.get(requests);
    if (known !== undefined) return { set: known, isNew: false };
    const set = this.next++;
    this.numbers.set(requests, set);
    return { set, isNew: true };
  }

  /** After a list failed to reach the client: the next run with it sends it again. */
  forget(requests: readonly OpenLoopRequest[]): void {
    this.numbers.delete(requests);
  }
}
